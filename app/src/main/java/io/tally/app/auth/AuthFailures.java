package io.tally.app.auth;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;

/**
 * {@code tally_auth_failures_total{port, reason}}: refused calls, by port ({@code application},
 * {@code admin}) and reason ({@code missing} credentials, {@code invalid} credentials,
 * {@code forbidden} for a caller without the role). Never a token or a user name in a label.
 */
public final class AuthFailures {
    private final Counter failures;

    public AuthFailures(CollectorRegistry prometheus) {
        failures = Counter.build("tally_auth_failures_total",
                        "Calls refused by authentication or authorization, by port and reason.")
                .labelNames("port", "reason").register(prometheus);
        for (String port : new String[] {"application", "admin"}) {
            for (String reason : new String[] {"missing", "invalid", "forbidden"}) {
                failures.labels(port, reason);
            }
        }
    }

    void refused(String port, String reason) {
        failures.labels(port, reason).inc();
    }
}
