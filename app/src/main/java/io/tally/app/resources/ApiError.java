package io.tally.app.resources;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error shape of the API: {@code {"error": {"code": 400, "message": "..."}}}. */
public record ApiError(Body error) {
    public record Body(int code, String message) {
    }

    public static Response response(int code, String message) {
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(new Body(code, message))).build();
    }

    /** A bad request parameter: names it and what it accepts. */
    public static WebApplicationException badParameter(String parameter, String accepts) {
        return new WebApplicationException(response(400, "bad parameter '" + parameter + "': " + accepts));
    }

    public static WebApplicationException notFound(String message) {
        return new WebApplicationException(response(404, message));
    }
}
