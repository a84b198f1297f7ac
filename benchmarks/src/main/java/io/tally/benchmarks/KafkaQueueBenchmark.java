package io.tally.benchmarks;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.queue.BrokerClient;
import io.tally.collectors.queue.PartitionOffsets;
import io.tally.collectors.queue.QueueCollector;
import io.tally.collectors.queue.QueueFactory;
import io.tally.collectors.queue.QueueReading;
import io.tally.collectors.queue.QueueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kafka queue source's per-poll and per-collection cost at {@code size} consumer groups, one
 * per target ({@code orders-i:workers-i} to {@code target-i}), 6 partitions each, a verdict window
 * of 10: the Burrow-style verdict over every partition's window, both rates, the statuses, then
 * {@code collect}. The broker round trip is left out: the readings come from a client that answers
 * each poll with the offsets a busy, slightly lagging group would show (log ends advancing 10 a
 * poll, commits 9), shaped as {@code KafkaBrokerClient} shapes what the Admin API returns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KafkaQueueBenchmark {
    private static final int PARTITIONS = 6;

    @Param({"100", "1000"})
    public int size;

    private StandaloneEnvironment environment;
    private QueueSource source;
    private Collector collector;
    private CollectionContext context;

    /** A kafka source whose client replays offsets instead of asking a broker. */
    @JsonTypeName("kafka-replay")
    public static class ReplayKafkaFactory extends QueueFactory {
        @Override
        protected BrokerClient client() {
            return new ReplayClient();
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        environment = new StandaloneEnvironment();
        ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
        yaml.registerSubtypes(new NamedType(ReplayKafkaFactory.class, "kafka-replay"));
        StringBuilder config = new StringBuilder("""
                type: kafka-replay
                name: kafka
                uri: "kafka://127.0.0.1:9092"
                maxQueues: 100000
                window: 10
                queues:
                """);
        for (int i = 0; i < size; i++) {
            config.append("  - { name: \"orders-").append(i).append(":workers-").append(i)
                    .append("\", target: target-").append(i).append(", priority: high }\n");
        }
        source = yaml.readValue(config.toString(), QueueFactory.class).buildSource(environment);
        // A full window first, so that every poll measured judges ten polls of six partitions.
        for (int i = 0; i < 12; i++) {
            source.pollIfIdle();
        }
        if (source.state().queues().size() != size || !source.state().connected()) {
            throw new IllegalStateException("expected " + size + " queues: " + source.state().lastError());
        }
        collector = new QueueCollector(source, environment.targets());
        context = new CollectionContext(Instant.now(), Long.MAX_VALUE, environment.clock());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        source.stop();
        environment.close();
    }

    /** A poll (verdicts, rates, statuses for every group) and the collection of its new state. */
    @Benchmark
    public void pollAndCollect(Blackhole bh) throws InterruptedException {
        source.pollIfIdle();
        collector.collect(context, new ConsumingOutput(bh));
    }

    /** Collection between polls: the state has not changed. */
    @Benchmark
    public void collect(Blackhole bh) throws InterruptedException {
        collector.collect(context, new ConsumingOutput(bh));
    }

    /** Offsets of groups that consume 9 of every 10 messages written between polls. */
    private static final class ReplayClient implements BrokerClient {
        private boolean connected;
        private long poll;

        @Override
        public String broker() {
            return "kafka";
        }

        @Override
        public void connect(Duration timeout) {
            connected = true;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public List<QueueReading> read(List<String> queues, Duration timeout) {
            poll++;
            List<QueueReading> out = new ArrayList<>(queues.size());
            for (int q = 0; q < queues.size(); q++) {
                long[] start = new long[PARTITIONS];
                long[] end = new long[PARTITIONS];
                long[] committed = new long[PARTITIONS];
                for (int p = 0; p < PARTITIONS; p++) {
                    end[p] = 1_000 + q + poll * 10;
                    committed[p] = 1_000 + poll * 9;
                }
                PartitionOffsets offsets = new PartitionOffsets(start, end, committed, true);
                long lag = offsets.totalLag();
                out.add(new QueueReading(queues.get(q), true, lag, 3, null, lag, null, offsets));
            }
            return out;
        }

        @Override
        public void close() {
            connected = false;
        }
    }
}
