package io.tally.collectors.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the refresh manager knows, immutable, replaced as a whole after every change.
 *
 * @param discovered entries seen in the latest lookups (valid plus invalid)
 * @param countsByTypeEnabledSource current target counts keyed by [type, enabled, source]
 */
public record DiscoveryState(RefreshStatus status, Instant lastAttempt, Instant lastSuccess, Instant nextRefresh,
                             Duration lastDuration, int discovered, int valid, List<InvalidEntry> invalid,
                             int consecutiveFailures, String lastError, List<SourceStats> sources,
                             Map<List<String>, Integer> countsByTypeEnabledSource, Duration interval) {

    public DiscoveryState {
        invalid = List.copyOf(invalid);
        sources = List.copyOf(sources);
        countsByTypeEnabledSource = Map.copyOf(countsByTypeEnabledSource);
    }

    static DiscoveryState idle(Duration interval) {
        return new DiscoveryState(RefreshStatus.IDLE, null, null, null, null, 0, 0, List.of(), 0, null, List.of(),
                Map.of(), interval);
    }

    DiscoveryState inProgress(Instant now) {
        return new DiscoveryState(RefreshStatus.IN_PROGRESS, now, lastSuccess, nextRefresh, lastDuration, discovered,
                valid, invalid, consecutiveFailures, lastError, sources, countsByTypeEnabledSource, interval);
    }

    DiscoveryState withNextRefresh(Instant next) {
        return new DiscoveryState(status, lastAttempt, lastSuccess, next, lastDuration, discovered, valid, invalid,
                consecutiveFailures, lastError, sources, countsByTypeEnabledSource, interval);
    }
}
