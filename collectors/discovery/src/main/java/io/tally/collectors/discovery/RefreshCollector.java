package io.tally.collectors.discovery;

import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.FragmentMemo;

/** The refresh manager's state: when it last succeeded, when it runs next, how it went. */
public final class RefreshCollector implements Collector {
    private final RefreshManager manager;
    private final FragmentMemo series = new FragmentMemo();

    public RefreshCollector(RefreshManager manager) {
        this.manager = manager;
    }

    @Override
    public String name() {
        return "refresh";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public void collect(CollectionContext context, CollectionOutput out) {
        out.include(series.get(manager.state(), RefreshCollector::write));
    }

    private static void write(DiscoveryState state, CollectionOutput out) {
        if (state.lastSuccess() != null) {
            out.gauge(DiscoveryMetrics.REFRESH_LAST_SUCCESS, state.lastSuccess().toEpochMilli() / 1000.0);
        }
        if (state.nextRefresh() != null) {
            out.gauge(DiscoveryMetrics.REFRESH_NEXT, state.nextRefresh().toEpochMilli() / 1000.0);
        }
        out.gauge(DiscoveryMetrics.REFRESH_IN_PROGRESS, state.status() == RefreshStatus.IN_PROGRESS ? 1 : 0);
        out.gauge(DiscoveryMetrics.REFRESH_INTERVAL, state.interval().toMillis() / 1000.0);
        if (state.lastDuration() != null) {
            out.gauge(DiscoveryMetrics.REFRESH_DURATION, state.lastDuration().toNanos() / 1e9);
        }
        out.gauge(DiscoveryMetrics.REFRESH_FAILURES, state.consecutiveFailures());
        out.gauge(DiscoveryMetrics.REFRESH_TARGETS, state.discovered(), "discovered");
        out.gauge(DiscoveryMetrics.REFRESH_TARGETS, state.valid(), "valid");
        out.gauge(DiscoveryMetrics.REFRESH_TARGETS, state.invalid().size(), "invalid");
        for (RefreshStatus status : RefreshStatus.values()) {
            out.gauge(DiscoveryMetrics.REFRESH_STATUS, state.status() == status ? 1 : 0, status.label());
        }
    }
}
