package io.tally.collectors.health;

import io.tally.collectors.core.probe.BodyMatch;
import io.tally.collectors.core.probe.ProbeOverrides;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The settings one probe runs with: the prober's defaults with the target's overrides applied. */
record ProbeSettings(String method, List<Integer> expectedStatus, Duration timeout, BodyMatch bodyMatch,
                     boolean tlsVerify, Map<String, String> headers) {

    ProbeSettings overriddenBy(ProbeOverrides o) {
        if (o == null || o == ProbeOverrides.NONE) {
            return this;
        }
        return new ProbeSettings(o.method() != null ? o.method() : method,
                o.expectedStatus() != null ? o.expectedStatus() : expectedStatus,
                o.timeout() != null ? o.timeout() : timeout,
                o.bodyMatch() != null ? o.bodyMatch() : bodyMatch,
                o.tlsVerify() != null ? o.tlsVerify() : tlsVerify,
                o.headers() != null ? merged(headers, o.headers()) : headers);
    }

    boolean statusExpected(int status) {
        return expectedStatus.isEmpty() ? status >= 200 && status < 300 : expectedStatus.contains(status);
    }

    private static Map<String, String> merged(Map<String, String> base, Map<String, String> extra) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>(base);
        out.putAll(extra);
        return Map.copyOf(out);
    }
}
