package io.tally.collectors.health;

import io.tally.collectors.core.catalog.Target;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One target's health after its latest probe. Immutable: the prober computes the next one from
 * this and a {@link ProbeResult} and swaps it in. The sliding window (up to 64 probes) is a bit
 * set of outcomes plus a ring of latencies.
 */
public final class TargetHealth {
    private final Target target;
    private final HealthStatus status;
    private final int consecutiveFailures;
    private final long windowBits;
    private final int windowCount;
    private final double[] latencies;
    private final long checks;
    private final Map<String, Long> failuresByClass;
    private final Instant lastCheck;
    private final Instant lastSuccess;
    private final String lastErrorClass;
    private final String lastError;
    private final Instant certificateExpiry;
    /** Computed on first use; a race computes the same value twice, harmlessly. */
    private HealthFact fact;

    private TargetHealth(Target target, HealthStatus status, int consecutiveFailures, long windowBits, int windowCount,
                         double[] latencies, long checks, Map<String, Long> failuresByClass, Instant lastCheck,
                         Instant lastSuccess, String lastErrorClass, String lastError, Instant certificateExpiry) {
        this.target = target;
        this.status = status;
        this.consecutiveFailures = consecutiveFailures;
        this.windowBits = windowBits;
        this.windowCount = windowCount;
        this.latencies = latencies;
        this.checks = checks;
        this.failuresByClass = failuresByClass;
        this.lastCheck = lastCheck;
        this.lastSuccess = lastSuccess;
        this.lastErrorClass = lastErrorClass;
        this.lastError = lastError;
        this.certificateExpiry = certificateExpiry;
    }

    static TargetHealth unknown(Target target) {
        return new TargetHealth(target, HealthStatus.UNKNOWN, 0, 0, 0, new double[0], 0, Map.of(), null, null, null,
                null, null);
    }

    TargetHealth withTarget(Target newTarget) {
        return new TargetHealth(newTarget, status, consecutiveFailures, windowBits, windowCount, latencies, checks,
                failuresByClass, lastCheck, lastSuccess, lastErrorClass, lastError, certificateExpiry);
    }

    TargetHealth next(ProbeResult result, Instant now, HealthRules rules) {
        int window = rules.window();
        long bits = (windowBits << 1) | (result.success() ? 1 : 0);
        if (window < 64) {
            bits &= (1L << window) - 1;
        }
        int count = Math.min(window, windowCount + 1);
        double[] ring = new double[count];
        System.arraycopy(latencies, Math.max(0, latencies.length - (count - 1)), ring, 0, Math.min(latencies.length, count - 1));
        ring[count - 1] = result.latencySeconds();

        if (result.success()) {
            HealthStatus next = result.latencySeconds() > rules.degradedLatencySeconds()
                    ? HealthStatus.DEGRADED : HealthStatus.HEALTHY;
            return new TargetHealth(target, next, 0, bits, count, ring, checks + 1, failuresByClass, now, now, null,
                    null, result.certificateExpiry() != null ? result.certificateExpiry() : certificateExpiry);
        }
        int failures = consecutiveFailures + 1;
        HealthStatus next = "denied".equals(result.errorClass()) || failures >= rules.unhealthyAfter()
                ? HealthStatus.UNHEALTHY : HealthStatus.DEGRADED;
        Map<String, Long> byClass = new HashMap<>(failuresByClass);
        byClass.merge(result.errorClass(), 1L, Long::sum);
        return new TargetHealth(target, next, failures, bits, count, ring, checks + 1, Map.copyOf(byClass), now,
                lastSuccess, result.errorClass(), result.message(),
                result.certificateExpiry() != null ? result.certificateExpiry() : certificateExpiry);
    }

    public Target target() {
        return target;
    }

    public HealthStatus status() {
        return status;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Share of successes in the window; null before the first probe. */
    public Double successRatio() {
        return windowCount == 0 ? null : Long.bitCount(windowBits) / (double) windowCount;
    }

    public long checks() {
        return checks;
    }

    public Map<String, Long> failuresByClass() {
        return failuresByClass;
    }

    public long failures() {
        long sum = 0;
        for (long n : failuresByClass.values()) {
            sum += n;
        }
        return sum;
    }

    /** True when the latest probe succeeded; null before the first. */
    public Boolean up() {
        return windowCount == 0 ? null : (windowBits & 1) == 1;
    }

    public Double lastLatencySeconds() {
        return latencies.length == 0 ? null : latencies[latencies.length - 1];
    }

    /** Nearest-rank percentile of the latencies in the window; null before the first probe. */
    public Double latencyPercentile(double p) {
        if (latencies.length == 0) {
            return null;
        }
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public Instant lastCheck() {
        return lastCheck;
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }

    public String lastErrorClass() {
        return lastErrorClass;
    }

    public String lastError() {
        return lastError;
    }

    public Instant certificateExpiry() {
        return certificateExpiry;
    }

    HealthFact fact() {
        HealthFact f = fact;
        if (f == null) {
            f = computeFact();
            fact = f;
        }
        return f;
    }

    private HealthFact computeFact() {
        return new HealthFact(status, consecutiveFailures, successRatio(), checks, failures(), lastLatencySeconds(),
                latencyPercentile(0.5), latencyPercentile(0.95), lastCheck, lastSuccess, lastErrorClass, lastError,
                certificateExpiry);
    }
}
