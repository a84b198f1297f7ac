package io.tally.app.stats;

import io.tally.collectors.core.TargetIndex;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetInfo;
import io.tally.collectors.core.workers.WorkerFact;
import io.tally.collectors.discovery.InvalidEntryFact;
import io.tally.collectors.health.HealthFact;
import io.tally.collectors.health.HealthStatus;
import io.tally.collectors.publisher.PublisherFact;
import io.tally.collectors.queue.QueueFact;

import java.util.List;

/**
 * Everything one snapshot knows about one target, joined from the facts of every collector, with
 * the derived figures the API shows. A figure no collector provides is null.
 *
 * @param refused entries of this name that discovery refused (a duplicate, bad probe settings...)
 */
public record TargetView(String name, Target target, HealthFact health, List<QueueFact> queues,
                         List<PublisherFact> publishing, List<InvalidEntryFact> refused, List<WorkerFact> workers) {

    static TargetView of(TargetIndex index, String name) {
        List<TargetInfo> info = index.facts(name, TargetInfo.class);
        List<HealthFact> health = index.facts(name, HealthFact.class);
        return new TargetView(name, info.isEmpty() ? null : info.get(0).target(), health.isEmpty() ? null : health.get(0),
                index.facts(name, QueueFact.class), index.facts(name, PublisherFact.class),
                index.facts(name, InvalidEntryFact.class), index.facts(name, WorkerFact.class));
    }

    /** Nothing but refusals is known of this name: it is no target, and the refusals say why. */
    public boolean onlyRefused() {
        return target == null && health == null && queues.isEmpty() && publishing.isEmpty() && workers.isEmpty()
                && !refused.isEmpty();
    }

    public HealthStatus status() {
        return health == null ? HealthStatus.UNKNOWN : health.status();
    }

    public double attempts() {
        return publishing.stream().mapToDouble(PublisherFact::attempts).sum();
    }

    public double failures() {
        return publishing.stream().mapToDouble(PublisherFact::failures).sum();
    }

    /** Publishing success when a publisher reports the target, else the probes' success ratio. */
    public Double successRatio() {
        double attempts = attempts();
        if (attempts > 0) {
            return Math.max(0, 1 - failures() / attempts);
        }
        return health == null ? null : health.successRatio();
    }

    /** Where {@link #successRatio()} comes from, or why it is null. */
    public String successRatioSource() {
        if (attempts() > 0) {
            return "publisher";
        }
        if (health != null && health.successRatio() != null) {
            return "probes";
        }
        return health == null ? "not probed and no publisher reports it" : "not probed yet and no publisher reports it";
    }

    public Double latencyP95Seconds() {
        return health == null ? null : health.latencyP95Seconds();
    }

    public Double publishingLatencyP95Seconds() {
        return publishing.stream().map(PublisherFact::latencyP95Seconds).filter(java.util.Objects::nonNull)
                .max(Double::compare).orElse(null);
    }

    /** The worker figures of every source that reports this target, added up; empty when none does. */
    public WorkerTotals workerTotals() {
        return WorkerTotals.of(workers);
    }

    public Long queueDepth() {
        return queues.isEmpty() ? null : queues.stream().mapToLong(QueueFact::depth).sum();
    }
}
