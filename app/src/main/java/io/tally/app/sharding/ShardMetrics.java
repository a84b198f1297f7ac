package io.tally.app.sharding;

import io.prometheus.client.Collector;

import java.util.List;

/**
 * {@code tally_shard_info{shard,shards}} and {@code tally_shard_targets_owned}: which shard a replica
 * is, and how many targets it owns now. No other family carries a shard label: a series exists on
 * the one replica that owns it, so a {@code sum()} across replicas counts it once.
 */
public final class ShardMetrics extends Collector {
    private final ShardedTargets targets;
    private final List<String> labelValues;

    public ShardMetrics(ShardedTargets targets) {
        this.targets = targets;
        ShardIdentity id = targets.identity();
        this.labelValues = List.of(Integer.toString(id.index()), Integer.toString(id.of()));
    }

    @Override
    public List<MetricFamilySamples> collect() {
        return List.of(
                new MetricFamilySamples("tally_shard_info", Type.GAUGE,
                        "Which shard of how many this replica is (sharding.shard, sharding.shards); always 1.",
                        List.of(new MetricFamilySamples.Sample("tally_shard_info", List.of("shard", "shards"),
                                labelValues, 1))),
                new MetricFamilySamples("tally_shard_targets_owned", Type.GAUGE,
                        "Discovered targets that this shard owns, probes and reports.",
                        List.of(new MetricFamilySamples.Sample("tally_shard_targets_owned", List.of(), List.of(),
                                targets.owned().current().size()))),
                new MetricFamilySamples("tally_shard_singleton", Type.GAUGE,
                        "1 when this shard runs the queue and publisher collectors (sharding.singletons), else 0.",
                        List.of(new MetricFamilySamples.Sample("tally_shard_singleton", List.of(), List.of(),
                                targets.identity().runsSingletons() ? 1 : 0))));
    }
}
