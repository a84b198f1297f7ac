package io.tally.app.stats;

import io.tally.app.sharding.ShardIdentity;
import io.tally.collectors.core.CollectorOutcome;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.discovery.InvalidEntryFact;
import io.tally.collectors.health.HealthFact;
import io.tally.collectors.publisher.PublisherFact;
import io.tally.collectors.queue.QueueFact;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds the /stats and /stats/{target} bodies from a snapshot's figures. */
public final class StatsViews {
    /** Refused entries listed in /stats; all of them are counted. */
    static final int MAX_INVALID_ITEMS = 100;

    private StatsViews() {
    }

    public static StatsJson.Stats stats(SnapshotStats stats, HealthScore.Report health, StatsQuery query, long nowTick) {
        return stats(stats, health, query, nowTick, ShardIdentity.ALONE);
    }

    /** The owned count is the snapshot's: the body, like its ETag, follows from the snapshot alone. */
    public static StatsJson.Stats stats(SnapshotStats stats, HealthScore.Report health, StatsQuery query, long nowTick,
                                        ShardIdentity shard) {
        Snapshot snapshot = stats.snapshot();
        List<TargetView> matching = stats.matching(query);
        int from = Math.min(query.offset(), matching.size());
        int to = Math.min(from + query.limit(), matching.size());
        List<StatsJson.TargetSummary> items = matching.subList(from, to).stream().map(StatsViews::summary).toList();
        String next = to < matching.size() ? StatsQuery.encodeCursor(to) : null;
        return new StatsJson.Stats(snapshotInfo(snapshot, nowTick),
                new StatsJson.Shard(shard.index(), shard.of(), stats.targets().size()), collectors(snapshot),
                new StatsJson.Targets(stats.targets().size(), stats.enabled(), stats.byStatus(), stats.byType(),
                        invalidEntries(stats)),
                elsewhere(queues(stats), shard), elsewhere(publishing(stats), shard), workers(stats), StatsJson.Health.of(health),
                items, next);
    }

    static StatsJson.InvalidEntries invalidEntries(SnapshotStats stats) {
        List<InvalidEntryFact> refused = stats.refused();
        return new StatsJson.InvalidEntries(refused.size(), stats.refusedByKind(),
                refused.stream().limit(MAX_INVALID_ITEMS).map(StatsViews::invalidEntry).toList());
    }

    private static StatsJson.InvalidEntry invalidEntry(InvalidEntryFact f) {
        return new StatsJson.InvalidEntry(f.source(), f.entry(), f.kind(), f.reason());
    }

    /**
     * Why there is no {@code /stats/{name}}: nothing is known of the name, or discovery refused every
     * entry of it (then the message gives each refusal, its source, kind and reason).
     */
    public static String notFound(String name, TargetView view) {
        String shown = TargetNames.shortened(name);
        if (view == null || view.refused().isEmpty()) {
            return "no target named '" + shown + "'";
        }
        StringBuilder message = new StringBuilder("no target named '" + shown + "': discovery refused the entry");
        for (int i = 0; i < view.refused().size(); i++) {
            InvalidEntryFact f = view.refused().get(i);
            message.append(i == 0 ? " " : "; and ").append("from source '").append(f.source()).append("' (")
                    .append(f.kind()).append(": ").append(f.reason()).append(')');
        }
        return message.toString();
    }

    public static StatsJson.SnapshotInfo snapshotInfo(Snapshot snapshot, long nowTick) {
        return new StatsJson.SnapshotInfo(snapshot.sequence(), snapshot.collectedAt().toString(),
                seconds(snapshot.age(nowTick)), seconds(snapshot.duration()));
    }

    static List<StatsJson.CollectorInfo> collectors(Snapshot snapshot) {
        return snapshot.outcomes().stream().map(o -> new StatsJson.CollectorInfo(o.collector(), o.status().label(),
                seconds(o.duration()), o.stale(), age(o, snapshot.collectedAt()), o.error())).toList();
    }

    private static Double age(CollectorOutcome outcome, Instant at) {
        Duration age = outcome.dataAge(at);
        return age == null ? null : seconds(age);
    }

    /** Off the singleton shards there are no queue figures by design: say where they are. */
    private static StatsJson.Queues elsewhere(StatsJson.Queues q, ShardIdentity shard) {
        return q.count() > 0 || shard.runsSingletons() ? q : new StatsJson.Queues(0, null, null, null, Map.of(), null,
                singletonsReason("queues", shard));
    }

    private static StatsJson.Publishing elsewhere(StatsJson.Publishing p, ShardIdentity shard) {
        return p.attempts() != null || shard.runsSingletons() ? p
                : new StatsJson.Publishing(null, null, null, null, singletonsReason("publishers", shard));
    }

    private static String singletonsReason(String what, ShardIdentity shard) {
        return what + " are read by shard " + shard.singletons().stream().sorted().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", ")) + " (sharding.singletons); this is shard "
                + shard.index();
    }

    static StatsJson.Queues queues(SnapshotStats stats) {
        List<SnapshotStats.QueueLine> queues = stats.queues();
        if (queues.isEmpty()) {
            return new StatsJson.Queues(0, null, null, null, Map.of(), null, "no queue source reports a queue");
        }
        double depth = 0;
        double dlq = 0;
        double capacity = 0;
        double depthWithCapacity = 0;
        Map<String, Double> byPriority = new TreeMap<>();
        for (SnapshotStats.QueueLine q : queues) {
            if ("dlq".equals(q.role())) {
                dlq += q.depth();
                continue;
            }
            depth += q.depth();
            byPriority.merge(q.priority().isEmpty() ? "none" : q.priority(), q.depth(), Double::sum);
            if (q.capacity() != null) {
                capacity += q.capacity();
                depthWithCapacity += q.depth();
            }
        }
        boolean capacityKnown = capacity > 0;
        return new StatsJson.Queues(queues.size(), depth, capacityKnown ? capacity : null,
                capacityKnown ? depthWithCapacity / capacity : null, byPriority, dlq,
                capacityKnown ? null : "no queue has a configured capacity, so utilization is unknown");
    }

    static StatsJson.Publishing publishing(SnapshotStats stats) {
        Double ratio = stats.publishingSuccessRatio();
        if (ratio == null) {
            return new StatsJson.Publishing(null, null, null, null, "no publisher has reported an attempted notification");
        }
        Double p95 = stats.publishingLatencyP95Seconds();
        return new StatsJson.Publishing(stats.attempts(), stats.failures(), ratio, p95,
                p95 == null ? "no publisher reports latency" : null);
    }

    static StatsJson.Workers workers(SnapshotStats stats) {
        WorkerTotals w = stats.workers();
        Map<String, Double> pool = stats.workerPool();
        Map<String, Map<String, Double>> submissions = stats.submissions();
        boolean none = w.isEmpty() && pool.isEmpty() && submissions.isEmpty();
        return new StatsJson.Workers(stats.workerTargets(), jobs(w), retries(w), dlq(w), stats.breakers(),
                stats.openBreakers(), pool, submissions,
                none ? "no worker figures: nothing recorded, ingested or scraped yet" : null);
    }

    static StatsJson.TargetWorkers workers(WorkerTotals w) {
        if (w.isEmpty()) {
            return new StatsJson.TargetWorkers(List.of(), null, null, null, null,
                    "no worker figures for this target: nothing recorded, ingested or scraped");
        }
        return new StatsJson.TargetWorkers(w.sources(), jobs(w), retries(w), w.breaker() == null ? null
                : new StatsJson.Breaker(w.breaker().label(), w.breakerStateSeconds(), w.breakerOpenSeconds(),
                w.breakerTrips()), dlq(w), null);
    }

    private static StatsJson.Jobs jobs(WorkerTotals w) {
        return w.jobsByOutcome() == null ? null : new StatsJson.Jobs(w.jobs(), w.jobsByOutcome(), w.inFlight(),
                w.durationP50Seconds(), w.durationP95Seconds(), w.waitP95Seconds());
    }

    private static StatsJson.Retries retries(WorkerTotals w) {
        return new StatsJson.Retries(w.retries(), w.retriesByErrorType());
    }

    private static StatsJson.Dlq dlq(WorkerTotals w) {
        return new StatsJson.Dlq(w.dlqWrites(), w.dlqWritesByErrorType(), w.dlqReplays(), w.dlqReplaysByResult());
    }

    static StatsJson.TargetSummary summary(TargetView view) {
        Target t = view.target();
        return new StatsJson.TargetSummary(t.name(), t.type().label(), t.enabled(), t.source(), t.labels(),
                view.status().label(), view.successRatio(), view.successRatioSource(), view.latencyP95Seconds(),
                view.queueDepth(), view.attempts(), view.failures());
    }

    public static StatsJson.TargetDetail detail(TargetView view, Object trend) {
        Target t = view.target();
        StatsJson.TargetInfo info = t == null ? new StatsJson.TargetInfo(view.name(), null, null, false, Map.of(),
                null) : new StatsJson.TargetInfo(t.name(), t.type().label(), t.url().toString(), t.enabled(), t.labels(),
                t.source());
        return new StatsJson.TargetDetail(info, health(view), view.queues().stream().map(StatsViews::queue).toList(),
                publishing(view), workers(view.workerTotals()), trend, view.refused().stream().map(StatsViews::invalidEntry).toList());
    }

    private static StatsJson.TargetHealth health(TargetView view) {
        HealthFact h = view.health();
        if (h == null) {
            String reason = view.target() == null ? "not a discovered target" : !view.target().enabled()
                    ? "target is disabled, so it is not probed" : "not probed yet";
            return new StatsJson.TargetHealth("unknown", null, null, null, null, new StatsJson.Latency(null, null, null),
                    null, null, null, null, null, reason);
        }
        return new StatsJson.TargetHealth(h.status().label(), h.consecutiveFailures(), h.successRatio(), h.checks(),
                h.failures(), new StatsJson.Latency(h.latencyLastSeconds(), h.latencyP50Seconds(), h.latencyP95Seconds()),
                text(h.lastCheck()), text(h.lastSuccess()), h.lastErrorClass(), h.lastError(),
                text(h.certificateExpiry()), h.checks() == 0 ? "not probed yet" : null);
    }

    private static StatsJson.Queue queue(QueueFact q) {
        return new StatsJson.Queue(q.source(), q.broker(), q.queue(), q.role(), q.priority(), q.depth(), q.consumers(),
                q.unacked(), q.capacity(), q.utilization(), q.verdict(), q.depthChangePerSecond());
    }

    private static StatsJson.TargetPublishing publishing(TargetView view) {
        List<PublisherFact> facts = view.publishing();
        if (facts.isEmpty()) {
            return new StatsJson.TargetPublishing(null, null, null, Map.of(), null, null, List.of(),
                    "no publisher reports this target");
        }
        Map<String, Double> reasons = new LinkedHashMap<>();
        Double rate = null;
        for (PublisherFact f : facts) {
            f.failuresByReason().forEach((k, v) -> reasons.merge(k, v, Double::sum));
            if (f.attemptsPerSecond() != null) {
                rate = (rate == null ? 0 : rate) + f.attemptsPerSecond();
            }
        }
        double attempts = view.attempts();
        return new StatsJson.TargetPublishing(attempts, view.failures(),
                attempts > 0 ? Math.max(0, 1 - view.failures() / attempts) : null, reasons,
                view.publishingLatencyP95Seconds(), rate, facts.stream().map(PublisherFact::publisher).toList(),
                attempts > 0 ? null : "no notification attempted yet");
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
