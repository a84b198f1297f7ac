package io.tally.app.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/** The JSON bodies of /stats and /stats/{target}: snake_case, seconds, ratios 0..1, RFC 3339 UTC. */
public final class StatsJson {
    private StatsJson() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stats(SnapshotInfo snapshot, Shard shard, List<CollectorInfo> collectors, Targets targets,
                        Queues queues, Publishing publishing, Workers workers, Health health, List<TargetSummary> items,
                        String nextCursor) {
    }

    /** Which shard of how many answered, and how many of the discovered targets it owns (sharding:). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Shard(int index, int of, int targetsOwned) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SnapshotInfo(long sequence, String collectedAt, double ageSeconds, double durationSeconds) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CollectorInfo(String name, String status, double durationSeconds, boolean stale, Double ageSeconds,
                                String error) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Targets(int total, long enabled, Map<String, Integer> byStatus, Map<String, Integer> byType,
                          InvalidEntries invalidEntries) {
    }

    /** Entries discovery refused: all counted, the first {@code items} listed with their reasons. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record InvalidEntries(int count, Map<String, Integer> byKind, List<InvalidEntry> items) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record InvalidEntry(String source, String entry, String kind, String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Queues(int count, Double depth, Double capacity, Double utilization, Map<String, Double> byPriority,
                         Double dlqDepth, String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Publishing(Double attempts, Double failures, Double successRatio, Double latencyP95Seconds,
                             String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Health(Double score, String status) {
        public static Health of(HealthScore.Report report) {
            return new Health(report.score(), report.status());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetSummary(String name, String type, boolean enabled, String source, Map<String, String> labels,
                                String status, Double successRatio, String successRatioSource,
                                Double latencyP95Seconds, Long queueDepth, double attempts, double failures) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetDetail(TargetInfo target, TargetHealth health, List<Queue> queues, TargetPublishing publishing,
                               TargetWorkers workers, Object trend, List<InvalidEntry> invalidEntries) {
    }

    /** Jobs by outcome ({@code success}, {@code failed}, {@code retried}, {@code dead_lettered}) and their total. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Jobs(Double total, Map<String, Double> byOutcome, Double inFlight, Double durationP50Seconds,
                       Double durationP95Seconds, Double waitP95Seconds) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Retries(double total, Map<String, Double> byErrorType) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Breaker(String state, Double stateSeconds, Double openSeconds, Double trips) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Dlq(double writes, Map<String, Double> writesByErrorType, double replays,
                      Map<String, Double> replaysByResult) {
    }

    /** The publishing workers' figures for one target, every source added up. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetWorkers(List<String> sources, Jobs jobs, Retries retries, Breaker breaker, Dlq dlq,
                                String reason) {
    }

    /** The publishing workers' figures over every target, with the pool and submissions. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Workers(int targets, Jobs jobs, Retries retries, Dlq dlq, Map<String, Integer> breakers,
                          List<String> openBreakers, Map<String, Double> pool,
                          Map<String, Map<String, Double>> submissions, String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetInfo(String name, String type, String url, boolean enabled, Map<String, String> labels,
                             String source) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Latency(Double last, Double p50, Double p95) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetHealth(String status, Integer consecutiveFailures, Double successRatio, Long checks,
                               Long failures, Latency latencySeconds, String lastCheck, String lastSuccess,
                               String lastErrorClass, String lastError, String certificateExpiry, String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Queue(String source, String broker, String queue, String role, String priority, long depth,
                        Integer consumers, Long unacked, Long capacity, Double utilization, String verdict,
                        Double depthChangePerSecond) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetPublishing(Double attempts, Double failures, Double successRatio,
                                   Map<String, Double> failuresByReason, Double latencyP95Seconds,
                                   Double attemptsPerSecond, List<String> publishers, String reason) {
    }
}
