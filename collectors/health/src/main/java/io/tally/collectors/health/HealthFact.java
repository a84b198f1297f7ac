package io.tally.collectors.health;

import io.tally.collectors.core.catalog.TargetFact;

import java.time.Instant;

/**
 * What the health prober knows about one target, for the per-target view. Figures that are not
 * known yet are null (a target never probed has no success ratio).
 *
 * @param successRatio     share of successful probes in the sliding window, 0..1
 * @param lastErrorClass   timeout, connect, dns, tls, status, body or denied; null after a success
 * @param lastError        what happened, with any secret scrubbed
 * @param certificateExpiry when the HTTPS certificate the target presented expires
 */
public record HealthFact(HealthStatus status, int consecutiveFailures, Double successRatio, long checks,
                         long failures, Double latencyLastSeconds, Double latencyP50Seconds, Double latencyP95Seconds,
                         Instant lastCheck, Instant lastSuccess, String lastErrorClass, String lastError,
                         Instant certificateExpiry) implements TargetFact {
}
