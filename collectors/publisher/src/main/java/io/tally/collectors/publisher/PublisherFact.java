package io.tally.collectors.publisher;

import io.tally.collectors.core.catalog.TargetFact;

import java.util.Map;

/**
 * How publishing to a target went, as one publisher's metrics tell it. Counts are totals since the
 * publisher started, corrected for counter resets; rates are per second between the last two
 * scrapes and null until there are two.
 */
public record PublisherFact(String publisher, double attempts, double failures, Double successRatio,
                            Map<String, Double> failuresByReason, Double attemptsPerSecond, Double failuresPerSecond,
                            Double latencyP50Seconds, Double latencyP95Seconds) implements TargetFact {
    public PublisherFact {
        failuresByReason = Map.copyOf(failuresByReason);
    }
}
