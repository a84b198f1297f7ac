package io.tally.benchmarks;

import com.codahale.metrics.Clock;
import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;
import io.tally.collectors.workers.WorkersSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of one {@code PublishingRecorder} call from a host's worker thread, once its target and
 * error type have been seen (the steady state). Every thread records for the same target, the
 * worst case for contention: run with {@code -t 1} and {@code -t 8}, and {@code -prof gc} to see
 * that the hot path allocates nothing (gc.alloc.rate.norm).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecorderBenchmark {
    private static final String TARGET = "hook-a";
    private WorkersSource recorder;

    @Setup
    public void setUp() {
        recorder = new WorkersSource(1000, 32, 16, Clock.defaultClock());
        for (int i = 0; i < 100; i++) {
            recorder.retry("target-" + i, "timeout");
        }
        recorder.finished(TARGET, JobOutcome.SUCCESS, 1, 1);
        recorder.retry(TARGET, "timeout");
        recorder.dlqWrite(TARGET, "http_4xx");
        recorder.breaker(TARGET, BreakerState.CLOSED);
        recorder.submitted("high", "accepted");
    }

    @Benchmark
    public void finished() {
        recorder.finished(TARGET, JobOutcome.SUCCESS, 42_000_000L, 3_000_000L);
    }

    @Benchmark
    public void started() {
        recorder.started(TARGET);
    }

    @Benchmark
    public void retry() {
        recorder.retry(TARGET, "timeout");
    }

    /** The state the breaker is already in: what a host reports after every call. */
    @Benchmark
    public void breakerUnchanged() {
        recorder.breaker(TARGET, BreakerState.CLOSED);
    }

    @Benchmark
    public void dlqWrite() {
        recorder.dlqWrite(TARGET, "http_4xx");
    }

    @Benchmark
    public void submitted() {
        recorder.submitted("high", "accepted");
    }

    @Benchmark
    public void workers() {
        recorder.workers(3, 5);
    }
}
