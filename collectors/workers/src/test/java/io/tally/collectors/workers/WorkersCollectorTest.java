package io.tally.collectors.workers;

import com.codahale.metrics.Clock;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;
import io.tally.collectors.core.workers.WorkerFact;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class WorkersCollectorTest {
    private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private final Clock clock = new Clock() {
        @Override
        public long getTick() {
            return nanos.get();
        }
    };

    @Test
    void recordedCallsBecomeSeriesAndOneFactPerTarget() {
        WorkersSource recorder = new WorkersSource(100, 4, 4, clock);
        WorkersCollector collector = new WorkersCollector("workers", recorder);
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(5), clock)) {
            assertThat(registry.collect().outcome("workers").status().label()).isEqualTo("unavailable");

            recorder.submitted("high", "accepted");
            recorder.submitted("high", "rejected");
            recorder.started("hook-a");
            recorder.started("hook-a");
            recorder.finished("hook-a", JobOutcome.SUCCESS, Duration.ofMillis(40), Duration.ofMillis(5));
            recorder.finished("hook-a", JobOutcome.FAILED, Duration.ofMillis(300), Duration.ofMillis(5));
            recorder.retry("hook-a", "timeout");
            recorder.retry("hook-a", "timeout");
            recorder.retry("hook-a", "http_5xx");
            recorder.breaker("hook-a", BreakerState.CLOSED);
            recorder.breaker("hook-a", BreakerState.OPEN);
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(3));
            recorder.breaker("hook-a", BreakerState.OPEN);
            recorder.breaker("hook-a", BreakerState.HALF_OPEN);
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
            recorder.dlqWrite("hook-a", "http_4xx");
            recorder.dlqReplay("hook-a", true);
            recorder.dlqReplay("hook-a", false);
            recorder.workers(3, 5);

            Snapshot s = registry.collect();
            assertThat(value(s, "tally_jobs_processed", "hook-a", "success")).isEqualTo(1);
            assertThat(value(s, "tally_jobs_processed", "hook-a", "failed")).isEqualTo(1);
            assertThat(value(s, "tally_jobs_processed", "hook-a", "dead_lettered")).isZero();
            assertThat(value(s, "tally_retry_attempts", "hook-a", "timeout")).isEqualTo(2);
            assertThat(value(s, "tally_circuit_breaker_state", "hook-a", "half_open")).isEqualTo(1);
            assertThat(value(s, "tally_circuit_breaker_state", "hook-a", "open")).isZero();
            assertThat(value(s, "tally_circuit_breaker_trips", "hook-a")).isEqualTo(1);
            assertThat(value(s, "tally_circuit_breaker_open_seconds", "hook-a")).isEqualTo(3.0);
            assertThat(value(s, "tally_workers", "active")).isEqualTo(3);
            assertThat(value(s, "tally_workers", "idle")).isEqualTo(5);
            assertThat(value(s, "tally_queue_submissions", "high", "rejected")).isEqualTo(1);
            assertThat(s.family("tally_job_duration_seconds").histograms()).singleElement()
                    .satisfies(h -> assertThat(h.count()).isEqualTo(2));

            WorkerFact fact = s.targets().facts("hook-a", WorkerFact.class).get(0);
            assertThat(fact.jobs()).isEqualTo(2);
            assertThat(fact.retriesByErrorType()).containsEntry("timeout", 2.0).containsEntry("http_5xx", 1.0);
            assertThat(fact.breakerState()).isEqualTo("half_open");
            assertThat(fact.breakerStateSeconds()).isEqualTo(2.0);
            assertThat(fact.dlqWritesByErrorType()).containsEntry("http_4xx", 1.0);
            assertThat(fact.dlqReplaysByResult()).containsEntry("success", 1.0).containsEntry("failed", 1.0);
            assertThat(fact.inFlight()).isZero();
            assertThat(fact.jobDurationP95Seconds()).isBetween(0.25, 0.5);
        }
    }

    @Test
    void stateIsBoundedAndBadNamesAreCountedNotKept() {
        WorkersSource recorder = new WorkersSource(2, 2, 2, clock);
        WorkersCollector collector = new WorkersCollector("workers", recorder);
        recorder.retry("t1", "a");
        recorder.retry("t1", "b");
        recorder.retry("t1", "c");
        recorder.retry("t1", "bad type with spaces");
        recorder.retry("t2", "a");
        recorder.retry("t3", "a");
        recorder.retry("bad name!", "a");
        recorder.finished("t1", null, 0, 0);
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(5), clock)) {
            Snapshot s = registry.collect();
            assertThat(s.targets().targets()).containsExactly("t1", "t2");
            WorkerFact t1 = s.targets().facts("t1", WorkerFact.class).get(0);
            assertThat(t1.retriesByErrorType()).containsOnlyKeys("a", "b", "other");
            assertThat(t1.retries()).isEqualTo(4);
            assertThat(value(s, "tally_worker_events_dropped", "target_limit")).isEqualTo(1);
            assertThat(value(s, "tally_worker_events_dropped", "invalid_target")).isEqualTo(1);
            assertThat(value(s, "tally_worker_events_dropped", "invalid_outcome")).isEqualTo(1);
        }
    }

    /** The value of the series whose label values end with {@code labels} (after source). */
    static double value(Snapshot s, String family, String... labels) {
        MetricFamily f = s.family(family);
        assertThat(f).as(family).isNotNull();
        for (Sample sample : f.samples()) {
            List<String> values = sample.labelValues();
            if (values.subList(values.size() - labels.length, values.size()).equals(List.of(labels))) {
                return sample.value();
            }
        }
        throw new AssertionError("no series " + family + List.of(labels) + " in " + f.samples());
    }
}
