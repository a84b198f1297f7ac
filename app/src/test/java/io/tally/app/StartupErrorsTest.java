package io.tally.app;

import io.tally.app.testing.TallyProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad config.yml stops start-up with one line naming the problem, not a stack trace. */
class StartupErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown key        | collection: { intervall: 15s }                                  | collection.intervall",
        "key given twice    | collection: { interval: 15s, interval: 30s }                    | Duplicate field 'interval'",
        "bad duration       | collection: { interval: 15 parsecs }                            | collection.interval",
        "duplicate name     | collectors: [ { type: test-counting, name: a }, { type: test-counting, name: a } ] | duplicate collector name 'a'",
        "unknown type       | collectors: [ { type: no-such-type, name: a } ]                 | no-such-type",
        "deadline too long  | collection: { interval: 1s, deadline: 2s }                      | collection.deadline",
        "probe timeout long | health: { interval: 1s, timeout: 1500ms }                       | health.timeout must not be longer than health.interval",
        "shard auto no ordinal | sharding: { shard: auto, shards: 3, hostname: tally }    | sharding.shard is auto",
        "shard out of range | sharding: { shard: 3, shards: 3 }                               | sharding.shard must be below sharding.shards",
        "kubernetes server  | discovery: { sources: [ { type: kubernetes } ] }                 | kubernetes source needs kubeconfig, or apiServer, or to run in a pod (KUBERNETES_SERVICE_HOST is not set)",
        "rabbitmq glob      | queues: [ { type: rabbitmq, name: rabbit, uri: \"amqp://127.0.0.1:5672/\", queues: [ { name: a }, { name: \"b.*\" } ] } ] | queues[0].queues[1].name rabbitmq cannot expand globs ('b.*')",
    })
    void badConfigurationFailsWithOneClearLine(String problem, String yaml, String mentioned, @TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                logging: { level: WARN }
                """ + yaml + "\n");

        TallyProcess.Finished run = TallyProcess.runToEnd(dir, "server", config.toString());

        assertThat(run.exitCode()).as(problem).isNotZero();
        List<String> lines = run.stderr().lines().filter(l -> !l.startsWith("WARNING:")).toList();
        assertThat(lines).as(run.stderr()).hasSize(1);
        assertThat(lines.get(0)).startsWith("tally: invalid configuration").contains(mentioned);
        assertThat(run.stderr()).doesNotContain("\tat ");
    }

    /** A probe timeout equal to the interval is allowed, as Prometheus allows it for a scrape. */
    @Test
    void probeTimeoutEqualToTheIntervalIsAccepted(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                logging: { level: WARN }
                health: { interval: 10s, timeout: 10s }
                """);

        TallyProcess.Finished run = TallyProcess.runToEnd(dir, "check", config.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
    }

    /** A source that cannot be built (its kubeconfig unreadable) stops start-up with its own line, not Guice's. */
    @Test
    void aSourceThatCannotBeBuiltSaysWhy(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                logging: { level: WARN }
                trends: { dataDir: "%s" }
                discovery:
                  sources: [ { type: kubernetes, kubeconfig: /nonexistent/kubeconfig } ]
                """.formatted(dir.resolve("trends").toString().replace('\\', '/')));

        TallyProcess.Finished run = TallyProcess.runToEnd(dir, "server", config.toString());

        assertThat(run.exitCode()).isNotZero();
        List<String> lines = run.stderr().lines().filter(l -> !l.startsWith("WARNING:")).toList();
        assertThat(lines).as(run.stderr()).containsExactly(
                "tally: cannot start: discovery source 'kubernetes': kubeconfig /nonexistent/kubeconfig cannot be read");
    }

    /** {@code tally check} refuses what {@code server} would, before any broker is contacted. */
    @Test
    void checkRefusesAGlobTheBrokerCannotExpand(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                logging: { level: WARN }
                queues:
                  - type: redis
                    name: redis
                    uri: "redis://127.0.0.1:6379"
                    queues: [ { name: "jobs:*" } ]
                  - type: rabbitmq
                    name: rabbit
                    uri: "amqp://guest:SECRETPW@127.0.0.1:5672/"
                    queues: [ { name: publish.high }, { name: "publish.?" } ]
                """);

        TallyProcess.Finished run = TallyProcess.runToEnd(dir, "check", config.toString());

        assertThat(run.exitCode()).isNotZero();
        List<String> lines = run.stderr().lines().filter(l -> !l.startsWith("WARNING:")).toList();
        assertThat(lines).as(run.stderr()).containsExactly("tally: invalid configuration " + config
                + ": queues[1].queues[1].name rabbitmq cannot expand globs ('publish.?'): it cannot list queues,"
                + " so name each queue");
        assertThat(run.stdout() + run.stderr()).doesNotContain("SECRETPW");
    }

    /**
     * Beyond loopback, Tally's answers are for callers with credentials: start-up refuses an exposed
     * application connector without auth unless anonymous access is said to be meant, and always
     * refuses an exposed admin connector without auth. Validated in process, as the server and check
     * commands validate (the one-line form is the JVM test below).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "exposed, no auth         | 0.0.0.0   | 127.0.0.1 | auth: {}                                       | server.applicationConnectors listen beyond loopback",
        "no bind host means all   |           | 127.0.0.1 | auth: {}                                       | server.applicationConnectors listen beyond loopback",
        "a host name              | tally.example.internal | 127.0.0.1 | auth: {}                         | server.applicationConnectors listen beyond loopback",
        "anonymous, said so       | 0.0.0.0   | 127.0.0.1 | 'auth: { allowAnonymous: true }'               | ",
        "with a token             | 0.0.0.0   | 127.0.0.1 | 'auth: { tokens: [ { name: p, sha256: \"%s\", roles: [ metrics ] } ] }' | ",
        "loopback v6              | ::1       | localhost | auth: {}                                       | ",
        "admin exposed, anonymous | 127.0.0.1 | 0.0.0.0   | 'auth: { allowAnonymous: true }'               | server.adminConnectors listen beyond loopback",
        "admin exposed, token     | 127.0.0.1 | 0.0.0.0   | 'auth: { tokens: [ { name: p, sha256: \"%s\", roles: [ admin ] } ] }' | ",
    })
    void listeningBeyondLoopbackNeedsAuth(String problem, String applicationHost, String adminHost, String auth,
                                          String refusal, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, exposureConfig(applicationHost, adminHost, auth));
        io.dropwizard.configuration.YamlConfigurationFactory<io.tally.app.config.TallyConfiguration> factory =
                new io.dropwizard.configuration.YamlConfigurationFactory<>(io.tally.app.config.TallyConfiguration.class,
                        io.dropwizard.jersey.validation.Validators.newValidator(),
                        io.dropwizard.jackson.Jackson.newObjectMapper(), "dw");
        if (refusal == null) {
            assertThat(factory.build(config.toFile())).as(problem).isNotNull();
        } else {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> factory.build(config.toFile())).as(problem)
                    .hasMessageContaining(refusal);
        }
    }

    /** The refusal as a person starting Tally sees it: one line, naming the key. */
    @Test
    void anExposedConnectorWithoutAuthStopsStartUpWithOneLine(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, exposureConfig("0.0.0.0", "127.0.0.1", "auth: {}"));

        TallyProcess.Finished run = TallyProcess.runToEnd(dir, "server", config.toString());

        assertThat(run.exitCode()).isNotZero();
        List<String> lines = run.stderr().lines().filter(l -> !l.startsWith("WARNING:")).toList();
        assertThat(lines).as(run.stderr()).containsExactly("tally: invalid configuration " + config
                + ": server.applicationConnectors listen beyond loopback with auth off: add auth.tokens or"
                + " auth.users, or set auth.allowAnonymous: true (or bindHost: 127.0.0.1)");
    }

    private static String exposureConfig(String applicationHost, String adminHost, String auth) {
        return """
                server:
                  applicationConnectors: [ { type: http, %s port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: "%s", port: 0 } ]
                logging: { level: WARN }
                """.formatted(applicationHost == null ? "" : "bindHost: \"" + applicationHost + "\",", adminHost)
                + auth.formatted("a".repeat(64)) + "\n";
    }
}
