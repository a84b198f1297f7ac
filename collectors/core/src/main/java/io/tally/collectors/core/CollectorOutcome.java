package io.tally.collectors.core;

import java.time.Duration;
import java.time.Instant;

/**
 * One collector's result in one snapshot.
 *
 * @param dataCollectedAt when the data this snapshot carries for the collector was collected:
 *                        the snapshot time when fresh, earlier when stale, null when it has none
 * @param error           why it is not {@code ok}; null when it is
 */
public record CollectorOutcome(String collector, OutcomeStatus status, Duration duration, boolean stale,
                               Instant dataCollectedAt, String error) {

    /** Age of the data at the snapshot's time; null when there is no data. */
    public Duration dataAge(Instant snapshotTime) {
        return dataCollectedAt == null ? null : Duration.between(dataCollectedAt, snapshotTime);
    }
}
