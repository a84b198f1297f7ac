package io.tally.collectors.health;

import java.time.Instant;

/** One probe's outcome. {@code errorClass} is null on success. */
record ProbeResult(boolean success, double latencySeconds, String errorClass, String message, Instant certificateExpiry) {

    static ProbeResult ok(double latencySeconds, Instant certificateExpiry) {
        return new ProbeResult(true, latencySeconds, null, null, certificateExpiry);
    }

    static ProbeResult failed(double latencySeconds, String errorClass, String message, Instant certificateExpiry) {
        return new ProbeResult(false, latencySeconds, errorClass, message, certificateExpiry);
    }
}
