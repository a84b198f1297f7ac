package io.tally.collectors.publisher;

import io.tally.collectors.publisher.text.ParsedFamily;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a publisher source knows after its latest scrape, immutable.
 *
 * @param up          the latest scrape succeeded
 * @param passthrough the publisher's own families the user asked to pass through
 * @param workers     per-target figures of the worker roles
 * @param pool        workers by state (active, idle) from the workers role; empty without it
 */
public record PublisherState(boolean scraped, boolean up, Instant lastScrape, Duration scrapeDuration, int samples,
                             String lastError, Map<String, Long> scrapeErrors, List<TargetPublishing> targets,
                             List<ParsedFamily> passthrough, List<TargetWorkers> workers, Map<String, Double> pool) {
    public PublisherState {
        scrapeErrors = Map.copyOf(scrapeErrors);
        targets = List.copyOf(targets);
        passthrough = List.copyOf(passthrough);
        workers = List.copyOf(workers);
        pool = Map.copyOf(pool);
    }

    static final PublisherState NOT_SCRAPED = new PublisherState(false, false, null, Duration.ZERO, 0, null, Map.of(),
            List.of(), List.of(), List.of(), Map.of());
}
