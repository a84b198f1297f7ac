package io.tally.collectors.core;

/**
 * Something a collector knows about one target (its health, a queue that feeds it, how publishing
 * to it went). Implementations are immutable records; the snapshot's {@link TargetIndex} joins
 * them by target name so the API can show everything about a target in one place.
 */
public interface TargetFact {
}
