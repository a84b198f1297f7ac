package io.tally.collectors.core.catalog;

/**
 * Something a collector knows about one target (its health, a queue that feeds it, how publishing
 * to it went). Implementations are immutable records; core's {@code TargetIndex} joins
 * them by target name so the API can show everything about a target in one place.
 */
public interface TargetFact {
}
