package io.tally.collectors.core.probe;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Per-target probe settings that override the health prober's defaults; every field is optional
 * (null means "use the default"). A timeout or headers outside {@link ProbeLimits} are refused
 * with IllegalArgumentException: whatever holds one of these, the prober can send it.
 *
 * @param expectedStatus status codes that count as success, e.g. [200, 204]; default any 2xx
 * @param bodyMatch      a regular expression (RE2) the response body must contain a match of
 * @param tlsVerify      false to accept any certificate (self-signed test endpoints)
 * @param headers        extra request headers; their values never appear in output
 */
public record ProbeOverrides(String method, List<Integer> expectedStatus, Duration timeout, BodyMatch bodyMatch,
                             Boolean tlsVerify, Map<String, String> headers) {
    public static final ProbeOverrides NONE = new ProbeOverrides(null, null, null, null, null, null);

    public ProbeOverrides {
        expectedStatus = expectedStatus == null ? null : List.copyOf(expectedStatus);
        if (timeout != null) {
            ProbeLimits.requireValidTimeout(timeout);
        }
        headers = headers == null ? null : Map.copyOf(ProbeLimits.requireValidHeaders(headers));
    }

    /**
     * True when these settings may change what the prober sends or accepts (method, headers, body
     * match, certificate checks off): settings only config.yml, or a source trusted with
     * {@code trustProbeSettings: true}, may give.
     */
    public boolean shapesTheRequest() {
        return method != null || headers != null || bodyMatch != null || Boolean.FALSE.equals(tlsVerify);
    }

    @Override
    public String toString() {
        return "ProbeOverrides[method=" + method + ", expectedStatus=" + expectedStatus + ", timeout=" + timeout
                + ", bodyMatch=" + bodyMatch + ", tlsVerify=" + tlsVerify + ", headers="
                + (headers == null ? null : headers.keySet()) + "]";
    }
}
