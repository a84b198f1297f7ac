package io.tally.collectors.core.target;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Per-target probe settings that override the health prober's defaults; every field is optional
 * (null means "use the default").
 *
 * @param expectedStatus status codes that count as success, e.g. [200, 204]; default any 2xx
 * @param bodyMatch      a regular expression the response body must contain a match of
 * @param tlsVerify      false to accept any certificate (self-signed test endpoints)
 * @param headers        extra request headers; their values never appear in output
 */
public record ProbeOverrides(String method, List<Integer> expectedStatus, Duration timeout, String bodyMatch,
                             Boolean tlsVerify, Map<String, String> headers) {
    public static final ProbeOverrides NONE = new ProbeOverrides(null, null, null, null, null, null);

    public ProbeOverrides {
        expectedStatus = expectedStatus == null ? null : List.copyOf(expectedStatus);
        headers = headers == null ? null : Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "ProbeOverrides[method=" + method + ", expectedStatus=" + expectedStatus + ", timeout=" + timeout
                + ", bodyMatch=" + bodyMatch + ", tlsVerify=" + tlsVerify + ", headers="
                + (headers == null ? null : headers.keySet()) + "]";
    }
}
