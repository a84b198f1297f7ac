package io.tally.collectors.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.OutcomeStatus;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kafka queue source against a real Kafka broker (KRaft, started once for the class): lag,
 * members, rates and Burrow-style verdicts as a group consumes, stalls and stops; a connection cut
 * through the loopback proxy, unavailable with a reason, and recovery.
 */
@Timeout(240)
class KafkaQueueTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private static final String SECRET = "tally-s3cret-truststore-pw";
    private static KafkaBroker broker;

    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startBroker() throws Exception {
        long start = System.nanoTime();
        broker = KafkaBroker.start();
        System.out.printf("KAFKA broker (KRaft) started in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /** True while this test holds the shared broker cut off: the next test must find it reachable. */
    private boolean cut;

    @AfterEach
    void close() throws Exception {
        environment.close();
        if (cut) {
            broker.proxy().restore();
        }
    }

    private QueueSource source(String topic, String group, Duration poll, Duration timeout) throws Exception {
        // A secret-shaped client property that the plaintext listener ignores: it must show nowhere.
        return YAML.readValue("""
                type: kafka
                name: kafka
                uri: "kafka://%s"
                window: 3
                pollInterval: %dms
                timeout: %dms
                backoff: 100ms
                maxBackoff: 500ms
                properties:
                  ssl.truststore.password: "%s"
                queues:
                  - { name: "%s:%s", target: "*" }
                  - { name: "%s-dl*", target: "*", role: dlq }
                  - { name: "missing-%s:%s", target: "*" }
                """.formatted(broker.bootstrap(), poll.toMillis(), timeout.toMillis(), SECRET, topic, group, topic,
                id, group), QueueFactory.class).buildSource(environment);
    }

    private static QueueStatus poll(QueueSource source, String name) {
        source.pollIfIdle();
        QueueState state = source.state();
        assertThat(state.connected()).as(String.valueOf(state.lastError())).isTrue();
        return state.queues().stream().filter(q -> q.mapping().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void lagMembersRatesAndVerdictsAsAGroupConsumesStallsAndStops() throws Exception {
        String topic = "orders-" + id;
        String group = "workers-" + id;
        String queue = topic + ":" + group;
        broker.createTopic(topic, 3);
        broker.createTopic(topic + "-dlq", 1);
        broker.produce(topic, 3, 10);
        broker.produce(topic + "-dlq", 1, 2);
        QueueSource source = source(topic, group, Duration.ofSeconds(5), Duration.ofSeconds(5));

        // Nobody has consumed yet: the whole topic is lag, and no member means stopped.
        QueueStatus before = poll(source, queue);
        assertThat(before.reading().depth()).isEqualTo(30);
        assertThat(before.reading().lag()).isEqualTo(30);
        assertThat(before.reading().offsets().maxPartitionLag()).isEqualTo(10);
        assertThat(before.reading().consumers()).isZero();
        assertThat(before.verdict()).isEqualTo(QueueVerdict.STOPPED);
        QueueStatus dlq = source.state().queues().stream().filter(q -> q.mapping().role().equals("dlq"))
                .findFirst().orElseThrow();
        assertThat(dlq.mapping().name()).isEqualTo(topic + "-dlq");
        assertThat(dlq.reading().depth()).isEqualTo(2);
        assertThat(dlq.reading().consumers()).isNull();
        QueueStatus missing = source.state().queues().stream().filter(q -> q.mapping().name().startsWith("missing-"))
                .findFirst().orElseThrow();
        assertThat(missing.reading().exists()).isFalse();

        try (KafkaConsumer<String, String> consumer = broker.consumer(group)) {
            consumer.subscribe(List.of(topic));
            assertThat(KafkaBroker.consume(consumer, 30, Duration.ofSeconds(60))).isEqualTo(30);
            QueueStatus caughtUp = poll(source, queue);
            assertThat(caughtUp.reading().depth()).isZero();
            assertThat(caughtUp.reading().offsets().maxPartitionLag()).isZero();
            assertThat(caughtUp.reading().consumers()).isEqualTo(1);
            assertThat(caughtUp.verdict()).isEqualTo(QueueVerdict.OK);
            assertThat(caughtUp.consumedPerSecond()).isPositive();

            // Still a member (its heartbeats go on) but it commits nothing more: lag grows, offsets stand still.
            broker.produce(topic, 3, 4);
            QueueStatus stalled = null;
            for (int i = 0; i < 3; i++) {
                Thread.sleep(50);
                stalled = poll(source, queue);
                if (i == 0) {
                    assertThat(stalled.messagesInPerSecond()).as("12 messages written within the window").isPositive();
                }
            }
            assertThat(stalled.reading().depth()).isEqualTo(12);
            assertThat(stalled.reading().offsets().maxPartitionLag()).isEqualTo(4);
            assertThat(stalled.reading().consumers()).isEqualTo(1);
            assertThat(stalled.verdict()).isEqualTo(QueueVerdict.STALLED);
            assertThat(stalled.consumedPerSecond()).isZero();
            assertThat(stalled.messagesInPerSecond()).as("nothing written in the last window").isZero();
        }

        // The consumer left: no members, lag above zero, not caught up anywhere in the window: stopped.
        awaitStatus(source, queue, s -> s.reading().consumers() == 0, Duration.ofSeconds(30));
        QueueStatus stopped = poll(source, queue);
        assertThat(stopped.verdict()).isEqualTo(QueueVerdict.STOPPED);
        assertThat(stopped.reading().depth()).isEqualTo(12);

        // It comes back and catches up: ok again.
        try (KafkaConsumer<String, String> consumer = broker.consumer(group)) {
            consumer.subscribe(List.of(topic));
            assertThat(KafkaBroker.consume(consumer, 12, Duration.ofSeconds(60))).isEqualTo(12);
            QueueStatus recovered = poll(source, queue);
            assertThat(recovered.reading().depth()).isZero();
            assertThat(recovered.verdict()).isEqualTo(QueueVerdict.OK);
        }
    }

    @Test
    void aCutConnectionIsUnavailableWithAReasonAndRecovers() throws Exception {
        String topic = "cut-" + id;
        String group = "g-" + id;
        broker.createTopic(topic, 2);
        broker.produce(topic, 2, 3);
        QueueSource source = source(topic, group, Duration.ofMillis(300), Duration.ofSeconds(1));
        environment.manage(source);
        Collector collector = new QueueCollector(source, environment.targets());
        environment.start();
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(2),
                environment.clock())) {
            Snapshot up = await(registry, s -> depth(s, topic + ":" + group) == 6, Duration.ofSeconds(30),
                    "lag 6 read through the proxy");
            assertThat(sample(up, "tally_queue_max_partition_lag", topic + ":" + group)).isEqualTo(3);
            assertThat(sample(up, "tally_queue_partitions", topic + ":" + group)).isEqualTo(2);

            broker.proxy().cut();
            cut = true;
            long cutAt = System.nanoTime();
            Snapshot down = await(registry, s -> s.outcome("kafka").status() != OutcomeStatus.OK,
                    Duration.ofSeconds(30), "unavailable after the cut");
            QueueState state = source.state();
            assertThat(state.connected()).isFalse();
            assertThat(state.lastError()).matches("(connect|timeout): .+");
            assertThat(down.outcome("kafka").error()).endsWith(state.lastError());
            assertThat(sample(down, "tally_queue_source_connected", null)).isZero();
            assertThat(depth(down, topic + ":" + group)).as("no queue series while unavailable").isEqualTo(-1);
            double detected = (System.nanoTime() - cutAt) / 1e9;

            broker.proxy().restore();
            cut = false;
            long restoredAt = System.nanoTime();
            Snapshot back = await(registry, s -> s.outcome("kafka").status() == OutcomeStatus.OK
                    && depth(s, topic + ":" + group) == 6, Duration.ofSeconds(60), "recovered after the restore");
            System.out.printf("FAULT| kafka connection cut (loopback proxy closed; the broker advertises the proxy), then"
                    + " restored | collector unavailable, tally_queue_source_connected 0, reason \"%s\", reconnect"
                    + " attempts counted | detected in %.2f s | recovered in %.2f s%n", state.lastError(), detected,
                    (System.nanoTime() - restoredAt) / 1e9);
            assertThat(source.state().reconnectAttempts()).isPositive();
            assertThat(sample(back, "tally_queue_source_connected", null)).isEqualTo(1);
            assertThat(source.state().pollErrors()).isNotEmpty();
            // The secret client property shows in no state, reason or series.
            assertThat(String.valueOf(state)).doesNotContain(SECRET);
            assertThat(String.valueOf(back.families())).doesNotContain(SECRET);
        }
    }

    private void awaitStatus(QueueSource source, String queue, Predicate<QueueStatus> condition, Duration within)
            throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (condition.test(poll(source, queue))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no such status of " + queue + " within " + within + ": " + poll(source, queue));
    }

    private static Snapshot await(CollectorRegistry registry, Predicate<Snapshot> condition, Duration within,
                                  String what) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        Snapshot last = null;
        while (System.nanoTime() < end) {
            last = registry.collect();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " not seen within " + within + "; last outcomes: "
                + (last == null ? null : last.outcomes()));
    }

    private static long depth(Snapshot snapshot, String queue) {
        Double value = sample(snapshot, "tally_queue_depth", queue);
        return value == null ? -1 : value.longValue();
    }

    /** The value of the family's series for {@code queue} (or its only series when queue is null). */
    private static Double sample(Snapshot snapshot, String family, String queue) {
        for (MetricFamily f : snapshot.families()) {
            if (!f.descriptor().name().equals(family)) {
                continue;
            }
            for (Sample s : f.samples()) {
                if (queue == null || s.labelValues().contains(queue)) {
                    return s.value();
                }
            }
        }
        return null;
    }
}
