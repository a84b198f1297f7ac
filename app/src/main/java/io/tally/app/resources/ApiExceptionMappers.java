package io.tally.app.resources;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.glassfish.jersey.message.internal.HeaderValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;

/** Every error in {@link ApiError}'s shape: never a stack trace, never an HTML page. */
public final class ApiExceptionMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionMappers.class);

    private ApiExceptionMappers() {
    }

    public static final class WebApplication implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response response = e.getResponse();
            if (response.hasEntity() && response.getEntity() instanceof ApiError) {
                return response;
            }
            int code = response.getStatus();
            String message = switch (e) {
                case NotFoundException n -> "no such resource";
                case NotAllowedException n -> "method not allowed; allowed: " + response.getAllowedMethods();
                default -> code >= 500 ? "internal error" : Response.Status.fromStatusCode(code) == null
                        ? "request failed" : Response.Status.fromStatusCode(code).getReasonPhrase().toLowerCase();
            };
            Response.ResponseBuilder out = Response.status(code).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(new ApiError.Body(code, message)));
            if (!response.getAllowedMethods().isEmpty()) {
                out.allow(response.getAllowedMethods());
            }
            return out.build();
        }
    }

    public static final class Anything implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            if (e instanceof WebApplicationException w) {
                return new WebApplication().toResponse(w);
            }
            if (e instanceof HeaderValueException h && h.getContext() == HeaderValueException.Context.INBOUND) {
                // A request header Jersey could not parse (a Content-Type with q=abc): the client's fault.
                return ApiError.response(400, "malformed " + headerName(h.getMessage()) + " header");
            }
            String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
            LOG.error("Request failed (error id {})", id, e);
            return ApiError.response(500, "internal error (id " + id + ")");
        }

        /**
         * The header's name from Jersey's message ({@code Unable to parse "Content-Type" header value: "..."});
         * the value is never echoed. Only a name made of token characters is trusted.
         */
        static String headerName(String message) {
            int open = message == null ? -1 : message.indexOf('"');
            int close = open < 0 ? -1 : message.indexOf('"', open + 1);
            if (close < 0 || close - open - 1 > 64 || close == open + 1) {
                return "request";
            }
            String name = message.substring(open + 1, close);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-') {
                    return "request";
                }
            }
            return name;
        }
    }
}
