package io.tally.collectors.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.StandaloneEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials against a real SASL/PLAIN Kafka broker (KRaft, ACLs on, Kafka's test users): the
 * URI's user-info logs in; a wrong password is an {@code auth} failure whose reason holds
 * neither password, and the URI shows redacted.
 */
@Timeout(180)
class KafkaSaslTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private static final String WRONG = "not-the-Pa55word-x";
    private static KafkaClusterTestKit cluster;

    private final StandaloneEnvironment environment = new StandaloneEnvironment();

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                // The controller listener stays plaintext: its anonymous peer (the node itself) must pass the ACLs.
                .setConfigProp("super.users", "User:" + JaasUtils.KAFKA_PLAIN_ADMIN + ";User:ANONYMOUS")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("secured", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        environment.close();
    }

    private QueueSource source(String password) throws Exception {
        return YAML.readValue("""
                type: kafka
                name: kafka-sasl
                uri: "kafka://%s:%s@%s"
                timeout: 3s
                backoff: 100ms
                maxBackoff: 500ms
                queues: [ { name: "secured:readers", target: "*" } ]
                """.formatted(JaasUtils.KAFKA_PLAIN_ADMIN, password, cluster.bootstrapServers()),
                QueueFactory.class).buildSource(environment);
    }

    @Test
    void theUrisUserInfoLogsInWithSaslPlain() throws Exception {
        QueueSource source = source(JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
        // A topic created moments ago may have no partition leader yet: offsets wait for one.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        source.pollIfIdle();
        while (!source.state().connected() && System.nanoTime() < until) {
            Thread.sleep(200);
            source.pollIfIdle();
        }
        QueueState state = source.state();
        assertThat(state.connected()).as(String.valueOf(state.lastError())).isTrue();
        QueueStatus status = state.queues().get(0);
        assertThat(status.reading().exists()).isTrue();
        assertThat(status.reading().offsets().partitions()).isEqualTo(2);
        assertThat(status.reading().depth()).isZero();
    }

    @Test
    void aWrongPasswordIsAnAuthFailureThatShowsNoPassword() throws Exception {
        QueueSource source = source(WRONG);
        source.pollIfIdle();
        QueueState state = source.state();
        assertThat(state.connected()).isFalse();
        assertThat(state.lastError()).startsWith("auth: cannot connect to kafka://plain-admin:***@")
                .doesNotContain(WRONG).doesNotContain(JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
        assertThat(state.pollErrors()).containsEntry("auth", 1L);
    }
}
