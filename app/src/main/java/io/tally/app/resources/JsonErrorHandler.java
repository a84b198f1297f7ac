package io.tally.app.resources;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Errors Jetty answers itself (a malformed request line, a bad %-escape, an ambiguous path, a bad
 * Content-Length, headers over the size limit) in the API's JSON error shape instead of an HTML page
 * or an empty body. The detail never echoes the request. Installed both in the servlet context and
 * on the server: the latter sees requests Jetty refused before any context was chosen.
 */
public final class JsonErrorHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

    public JsonErrorHandler() {
        setShowStacks(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (Request.asInContext(request, ServletContextRequest.class) != null) {
            return super.handle(request, response, callback);
        }
        // No servlet context: the servlet error handler would fail on it and send an empty body.
        int code = response.getStatus();
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException failure) {
            code = failure.getCode();
            response.setStatus(code);
        }
        if (code < 400) {
            code = 500;
            response.setStatus(code);
        }
        if (!errorPageForMethod(request.getMethod()) || HttpStatus.hasNoBody(code)) {
            callback.succeeded();
            return true;
        }
        generateCacheControl(response);
        write(response, code, callback);
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        write(response, code, callback);
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code, String message,
                                                 Throwable cause) {
        write(response, code, callback);
        return true;
    }

    private static void write(Response response, int code, Callback callback) {
        String reason = HttpStatus.getMessage(code);
        String body = "{\"error\":{\"code\":" + code + ",\"message\":\"" + (reason == null ? "error" : reason.toLowerCase())
                + "\"}}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
