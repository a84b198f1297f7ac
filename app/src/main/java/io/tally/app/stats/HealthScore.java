package io.tally.app.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tally.collectors.core.CollectorOutcome;
import io.tally.collectors.core.OutcomeStatus;
import io.tally.collectors.health.HealthStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code GET /health} score of delivery, 0..100, from five components (docs/api.md#health-score).
 * Not the admin port's health checks of Tally itself ({@code io.tally.app.checks}) nor a target's probe
 * status ({@code HealthStatus}), though its {@code targets} component counts the latter:
 * <ul>
 *   <li>{@code publishing}: attempted notifications that did not fail, over all publishers;</li>
 *   <li>{@code targets}: (healthy + ½ degraded) / probed targets;</li>
 *   <li>{@code latency}: probed targets whose p95 probe latency is within the objective / those with one;</li>
 *   <li>{@code queues}: the lower of 1 − the highest utilization (of queues with a capacity) and the share
 *       of queues not {@code stopped} or {@code stalled};</li>
 *   <li>{@code freshness}: collectors whose latest outcome is ok and not stale / all collectors;</li>
 *   <li>{@code workers}: the lower of 1 − (open + ½ half-open breakers) / targets with a breaker, and the
 *       share of worker targets whose dead-letter queue did not grow over the last five minutes.</li>
 * </ul>
 * score = 100 × Σ weight·value / Σ weight over the components that have data. Status: healthy at or
 * above {@code healthyScore}, unhealthy below {@code degradedScore}, degraded between.
 */
public final class HealthScore {
    private HealthScore() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Component(String name, Double value, double weight, String status, String detail) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Report(String status, Double score, List<Component> components, List<String> reasons) {
        /** This report with one more component, outside the score (weight 0), and its reason if any. */
        public Report with(Component component, String reason) {
            List<Component> c = new ArrayList<>(components);
            c.add(component);
            List<String> r = new ArrayList<>(reasons);
            if (reason != null) {
                r.add(reason);
            }
            return new Report(status, score, List.copyOf(c), List.copyOf(r));
        }
    }

    public static Report of(SnapshotStats stats, StatsConfiguration config) {
        StatsConfiguration.Weights w = config.weights();
        List<Component> components = new ArrayList<>();
        List<String> reasons = new ArrayList<>();

        Double publishing = stats.publishingSuccessRatio();
        components.add(component("publishing", publishing, w.publishing, publishing == null
                ? "no publisher has reported an attempted notification"
                : String.format(Locale.ROOT, "%.0f of %.0f notifications delivered", stats.attempts() - stats.failures(),
                stats.attempts())));
        if (publishing != null && stats.failures() > 0) {
            reasons.add(String.format(Locale.ROOT, "publishing success %.1f%%: %.0f of %.0f notifications failed",
                    publishing * 100, stats.failures(), stats.attempts()));
        }

        List<TargetView> probed = stats.targets().stream().filter(t -> t.status() != HealthStatus.UNKNOWN).toList();
        long healthy = probed.stream().filter(t -> t.status() == HealthStatus.HEALTHY).count();
        List<String> unhealthy = names(probed, HealthStatus.UNHEALTHY);
        List<String> degraded = names(probed, HealthStatus.DEGRADED);
        Double targetsValue = probed.isEmpty() ? null : (healthy + 0.5 * degraded.size()) / probed.size();
        components.add(component("targets", targetsValue, w.targets, probed.isEmpty() ? "no target probed yet"
                : healthy + " healthy, " + degraded.size() + " degraded, " + unhealthy.size() + " unhealthy of "
                + probed.size() + " probed"));
        if (!unhealthy.isEmpty()) {
            reasons.add(unhealthy.size() + " of " + probed.size() + " targets unhealthy: " + list(unhealthy));
        }
        if (!degraded.isEmpty()) {
            reasons.add(degraded.size() + " of " + probed.size() + " targets degraded: " + list(degraded));
        }

        double objective = config.latencyObjectiveSeconds();
        List<TargetView> timed = probed.stream().filter(t -> t.latencyP95Seconds() != null).toList();
        List<String> slow = timed.stream().filter(t -> t.latencyP95Seconds() > objective).map(TargetView::name).toList();
        Double latency = timed.isEmpty() ? null : (timed.size() - slow.size()) / (double) timed.size();
        components.add(component("latency", latency, w.latency, timed.isEmpty() ? "no probe latency measured yet"
                : (timed.size() - slow.size()) + " of " + timed.size() + " targets within the "
                + String.format(Locale.ROOT, "%.3g", objective) + " s objective (p95)"));
        if (!slow.isEmpty()) {
            reasons.add(slow.size() + " targets over the " + String.format(Locale.ROOT, "%.3g", objective)
                    + " s latency objective: " + list(slow));
        }

        List<SnapshotStats.QueueLine> queues = stats.queues();
        Double queueValue = null;
        String queueDetail = "no queue reported";
        if (!queues.isEmpty()) {
            List<String> stuck = queues.stream().filter(q -> "stopped".equals(q.verdict()) || "stalled".equals(q.verdict()))
                    .map(q -> q.source() + "/" + q.queue() + " is " + q.verdict() + " (" + (long) q.depth() + " waiting)")
                    .toList();
            double flowing = (queues.size() - stuck.size()) / (double) queues.size();
            double headroom = queues.stream().filter(q -> q.capacity() != null && q.capacity() > 0)
                    .mapToDouble(q -> 1 - Math.min(1, q.depth() / q.capacity())).min().orElse(1);
            queueValue = Math.min(flowing, headroom);
            queueDetail = (queues.size() - stuck.size()) + " of " + queues.size() + " queues flowing; least headroom "
                    + String.format(Locale.ROOT, "%.0f%%", headroom * 100);
            reasons.addAll(stuck.stream().map(s -> "queue " + s).toList());
        }
        components.add(component("queues", queueValue, w.queues, queueDetail));

        List<CollectorOutcome> outcomes = stats.outcomes();
        Double freshness = outcomes.isEmpty() ? null : stats.freshCollectors() / (double) outcomes.size();
        components.add(component("freshness", freshness, w.freshness, outcomes.isEmpty() ? "no collectors"
                : stats.freshCollectors() + " of " + outcomes.size() + " collectors fresh"));
        for (CollectorOutcome o : outcomes) {
            if (o.status() != OutcomeStatus.OK || o.stale()) {
                reasons.add("collector " + o.collector() + " is " + o.status().label() + (o.stale() ? " (stale)" : "")
                        + (o.error() == null ? "" : ": " + o.error()));
            }
        }

        components.add(workers(stats, w.workers, reasons));

        double weighted = 0;
        double weights = 0;
        for (Component c : components) {
            if (c.value() != null && c.weight() > 0) {
                weighted += c.weight() * c.value();
                weights += c.weight();
            }
        }
        Double score = weights == 0 ? null : Math.round(1000 * weighted / weights) / 10.0;
        String status = score == null ? "unknown" : score >= config.healthyScore() ? "healthy"
                : score >= config.degradedScore() ? "degraded" : "unhealthy";
        return new Report(status, score, components, reasons);
    }

    /** Open breakers and growing dead-letter queues; null (left out) when no source reports worker figures. */
    private static Component workers(SnapshotStats stats, double weight, List<String> reasons) {
        int targets = stats.workerTargets();
        if (targets == 0) {
            return component("workers", null, weight, "no worker figures recorded, ingested or scraped");
        }
        Map<String, Integer> breakers = stats.breakers();
        int withBreaker = breakers.values().stream().mapToInt(Integer::intValue).sum();
        int open = breakers.getOrDefault("open", 0);
        int halfOpen = breakers.getOrDefault("half_open", 0);
        double breakerValue = withBreaker == 0 ? 1 : 1 - (open + 0.5 * halfOpen) / withBreaker;
        Map<String, Double> growing = stats.growingDlqs();
        double dlqValue = (targets - growing.size()) / (double) targets;
        if (!stats.openBreakers().isEmpty()) {
            reasons.add(stats.openBreakers().size() + " circuit breakers open: " + list(stats.openBreakers()));
        }
        if (!growing.isEmpty()) {
            reasons.add(growing.size() + " dead-letter queues grew in the last "
                    + io.tally.collectors.core.workers.WorkerFact.DLQ_WINDOW_SECONDS / 60 + " minutes: "
                    + list(growing.entrySet().stream().map(e -> e.getKey() + " (+" + Math.round(e.getValue()) + ")")
                    .toList()));
        }
        return component("workers", Math.min(breakerValue, dlqValue), weight, open + " open and " + halfOpen
                + " half-open of " + withBreaker + " breakers; " + growing.size() + " of " + targets
                + " dead-letter queues growing");
    }

    private static Component component(String name, Double raw, double weight, String detail) {
        // Ratios for people: four decimals, so 1 - 0.8 reads 0.2.
        Double value = raw == null ? null : Math.round(raw * 10_000) / 10_000.0;
        String status = value == null ? "unknown" : value >= 0.8 ? "healthy" : value >= 0.5 ? "degraded" : "unhealthy";
        return new Component(name, value, weight, status, detail);
    }

    private static List<String> names(List<TargetView> targets, HealthStatus status) {
        return targets.stream().filter(t -> t.status() == status).map(TargetView::name).toList();
    }

    private static String list(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }
}
