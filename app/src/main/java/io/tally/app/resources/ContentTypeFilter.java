package io.tally.app.resources;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * A request's {@code Content-Type} before Jersey matches a method on it. Jersey parses it while
 * choosing the method and fails with a 500 (not a mappable error) on one it cannot read, such as
 * {@code * /*;q=abc}. A request without content has its Content-Type dropped, as it describes
 * nothing (RFC 9110 section 8.3); a request with content and a malformed one gets a JSON 400.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public final class ContentTypeFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        List<String> values = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (values == null || values.isEmpty()) {
            return;
        }
        if (!hasContent(request)) {
            request.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
            return;
        }
        if (values.size() != 1 || !wellFormed(values.get(0))) {
            request.abortWith(ApiError.response(400, "malformed Content-Type header"));
        }
    }

    private static boolean hasContent(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return request.getHeaderString("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
    }

    /** A media type with parameters, none of them a q-value (a Content-Type has none; Jersey would choke on it). */
    static boolean wellFormed(String value) {
        try {
            MediaType type = MediaType.valueOf(value);
            return type.getParameters().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("q"));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
