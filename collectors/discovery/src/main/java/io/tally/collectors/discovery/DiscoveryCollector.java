package io.tally.collectors.discovery;

import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.FragmentMemo;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.core.catalog.TargetInfo;
import io.tally.collectors.core.catalog.TargetSet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Targets by type, enabled and source; invalid entries (counted, and as facts); lookups, errors and their durations. */
public final class DiscoveryCollector implements Collector {
    private final RefreshManager manager;
    private final TargetCatalog catalog;
    private final FragmentMemo series = new FragmentMemo();

    public DiscoveryCollector(RefreshManager manager, TargetCatalog catalog) {
        this.manager = manager;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "discovery";
    }

    @Override
    public boolean isAvailable() {
        return manager.state().status() != RefreshStatus.IDLE;
    }

    @Override
    public void collect(CollectionContext context, CollectionOutput out) {
        out.include(series.get(manager.state(), catalog.current(), DiscoveryCollector::write));
    }

    /** Everything here follows from one refresh state and one target set: built once per pair. */
    private static void write(DiscoveryState state, TargetSet targets, CollectionOutput out) {
        state.countsByTypeEnabledSource().forEach((key, count) ->
                out.gauge(DiscoveryMetrics.TARGETS, count, key.get(0), key.get(1), key.get(2)));
        Map<List<String>, Integer> invalid = new HashMap<>();
        for (InvalidEntry entry : state.invalid()) {
            invalid.merge(List.of(entry.source(), entry.kind()), 1, Integer::sum);
            // Under the entry's name: /stats lists refusals, /stats/{name} says why that name is no target.
            out.fact(entry.entry(), new InvalidEntryFact(entry.source(), entry.entry(), entry.kind(), entry.reason()));
        }
        invalid.forEach((key, count) -> out.gauge(DiscoveryMetrics.INVALID, count, key.get(0), key.get(1)));
        for (SourceStats source : state.sources()) {
            out.counter(DiscoveryMetrics.LOOKUPS, source.successes(), source.source(), "success");
            out.counter(DiscoveryMetrics.LOOKUPS, source.failures(), source.source(), "failure");
            source.errorsByKind().forEach((kind, n) -> out.counter(DiscoveryMetrics.ERRORS, n, source.source(), kind));
            out.histogram(DiscoveryMetrics.DURATION, source.durationCounts(), source.durationSum(), source.source());
            source.objectCounts().forEach((key, n) ->
                    out.gauge(DiscoveryMetrics.SECRETS, n, source.source(), key.get(0), key.get(1)));
            if (source.lastSuccess() != null) {
                out.gauge(DiscoveryMetrics.LAST_SUCCESS, source.lastSuccess().toEpochMilli() / 1000.0, source.source());
            }
        }
        for (Target target : targets.targets()) {
            out.fact(target.name(), new TargetInfo(target));
        }
    }
}
