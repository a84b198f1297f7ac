package io.tally.benchmarks;

import io.tally.collectors.publisher.text.ExpositionParser;
import io.tally.collectors.publisher.text.ParsedExposition;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Tally's exposition parser on a 10 000-series Alertmanager-shaped text (1 000 receivers x 10
 * series each). MB/s = text size / time per parse; the size is printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParserBenchmark {
    private String text;
    private final ExpositionParser parser = new ExpositionParser(1_000_000);

    @Setup
    public void setUp() {
        text = QueuePublisherBenchmark.alertmanager(1_000);
        long series = text.lines().filter(l -> !l.startsWith("#")).count();
        System.out.printf("%n[parser input: %d series, %d bytes]%n", series, text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Benchmark
    public ParsedExposition parse10kSeries() throws Exception {
        return parser.parse(text);
    }
}
