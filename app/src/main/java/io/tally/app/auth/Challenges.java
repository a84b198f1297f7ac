package io.tally.app.auth;

import io.dropwizard.auth.UnauthorizedHandler;
import io.tally.app.resources.ApiError;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * 401 in the API's JSON error shape, with a {@code WWW-Authenticate} header that offers both
 * schemes Tally accepts, so that a client (or a person with curl) knows what to send.
 */
final class Challenges implements UnauthorizedHandler {
    private final String challenge;

    Challenges(String realm) {
        this.challenge = "Bearer realm=\"" + realm + "\", Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
    }

    @Override
    public Response buildResponse(String prefix, String realm) {
        return unauthorized();
    }

    Response unauthorized() {
        Response json = ApiError.response(401, "credentials are required: a bearer token or a user and password");
        return Response.fromResponse(json).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    String challenge() {
        return challenge;
    }
}
