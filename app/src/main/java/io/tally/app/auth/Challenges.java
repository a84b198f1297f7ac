package io.tally.app.auth;

import io.dropwizard.auth.UnauthorizedHandler;
import io.tally.app.resources.ApiError;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * 401 in the API's JSON error shape, with {@code WWW-Authenticate} challenges for both schemes
 * Tally accepts, so that a client (or a person with curl) knows what to send. Each challenge is a
 * header line of its own: browsers do not find a Basic challenge that follows another scheme's
 * parameters on the same line (Chromium then shows no sign-in prompt at all), while separate lines
 * mean the same to RFC 9110 and to every other client.
 */
final class Challenges implements UnauthorizedHandler {
    private final List<String> challenges;

    Challenges(String realm) {
        this.challenges = List.of("Bearer realm=\"" + realm + "\"", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
    }

    @Override
    public Response buildResponse(String prefix, String realm) {
        return unauthorized();
    }

    Response unauthorized() {
        Response.ResponseBuilder response = Response.fromResponse(
                ApiError.response(401, "credentials are required: a bearer token or a user and password"));
        for (String challenge : challenges) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return response.build();
    }

    /** One challenge per {@code WWW-Authenticate} line, Bearer first. */
    List<String> challenges() {
        return challenges;
    }
}
