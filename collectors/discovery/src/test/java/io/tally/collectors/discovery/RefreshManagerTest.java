package io.tally.collectors.discovery;

import com.codahale.metrics.Clock;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.core.catalog.TargetInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshManagerTest {
    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final TargetCatalog catalog = environment.targets();

    @AfterEach
    void stop() throws Exception {
        environment.close();
    }

    private DiscoveryFactory.Components start(String yaml) throws Exception {
        DiscoveryFactory.Components components = TestSupport.discovery(yaml).build(environment);
        environment.start();
        return components;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
    }

    @Test
    void keepsTheLastGoodTargetsOfAFailedSourceAndRetriesWithBackoff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("targets.yml");
        Files.writeString(file, "- { name: from-file, type: webhook, url: \"http://127.0.0.1:9001/\" }\n");
        DiscoveryFactory.Components c = start("""
                refresh: { interval: 1h, timeout: 2s, retries: 3, backoff: 300ms, jitter: 0.1, watchInterval: 100ms }
                sources:
                  - type: static
                    targets: [ { name: from-static, type: slack, url: "https://hooks.slack.com/services/T/B/SECRET" } ]
                  - type: file
                    files: [ "%s" ]
                """.formatted(file));
        RefreshManager manager = c.manager();

        assertThat(manager.state().status()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(catalog.current().targets()).extracting(Target::name).containsExactly("from-static", "from-file");

        Files.writeString(file, "- { name: [ broken\n");
        await(() -> manager.state().status() == RefreshStatus.FAILED);
        DiscoveryState failed = manager.state();
        assertThat(catalog.current().targets()).extracting(Target::name).containsExactly("from-static", "from-file");
        assertThat(failed.lastError()).startsWith("file: parse:");
        // A failed refresh is retried after the backoff, not after the hour-long interval. The three
        // retries span about 2 s, so polling every 20 ms sees a failure within them.
        assertThat(failed.consecutiveFailures()).isBetween(1, 3);
        assertThat(Duration.between(failed.lastAttempt(), failed.nextRefresh())).isLessThan(Duration.ofSeconds(5));
        await(() -> manager.state().consecutiveFailures() >= 2);

        Files.writeString(file, "- { name: from-file-2, type: webhook, url: \"http://127.0.0.1:9002/\" }\n");
        // writeString truncates first: a refresh may read the empty file (a success with no targets)
        // before the one that reads the new entry, which the changed size triggers.
        await(() -> manager.state().status() == RefreshStatus.SUCCESS
                && catalog.current().targets().stream().map(Target::name).toList()
                        .equals(List.of("from-static", "from-file-2")));
        assertThat(catalog.current().targets()).extracting(Target::name).containsExactly("from-static", "from-file-2");
        assertThat(manager.state().consecutiveFailures()).isZero();
        assertThat(Duration.between(manager.state().lastAttempt(), manager.state().nextRefresh()))
                .isGreaterThan(Duration.ofMinutes(59));
    }

    @Test
    void aKeyGivenTwiceInATargetsFileIsAParseErrorNotTheLastOneWinning(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("targets.yml");
        Files.writeString(file, "- { name: a, type: webhook, url: \"http://127.0.0.1:9001/\", url: \"http://127.0.0.1:9002/\" }\n");
        DiscoveryFactory.Components c = start("""
                refresh: { interval: 1h, retries: 0 }
                sources:
                  - type: file
                    files: [ "%s" ]
                """.formatted(file));
        assertThat(c.manager().state().status()).isEqualTo(RefreshStatus.FAILED);
        assertThat(c.manager().state().lastError()).startsWith("file: parse:").contains("key 'url' given twice at line 1");
        assertThat(catalog.current().targets()).isEmpty();
    }

    @Test
    void duplicateNamesAcrossSourcesAreReportedFirstSourceWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yml");
        Files.writeString(file, "- { name: shared, type: webhook, url: \"http://127.0.0.1:1/\" }\n");
        DiscoveryFactory.Components c = start("""
                sources:
                  - type: static
                    targets: [ { name: shared, type: slack, url: "https://example.test/" } ]
                  - type: file
                    files: [ "%s" ]
                """.formatted(file));

        assertThat(catalog.current().get("shared").source()).isEqualTo("static");
        assertThat(c.manager().state().invalid()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo("duplicate");
            assertThat(i.source()).isEqualTo("file");
            assertThat(i.reason()).contains("already comes from source 'static'");
        });
        assertThat(c.manager().state().discovered()).isEqualTo(2);
        assertThat(c.manager().state().valid()).isEqualTo(1);
    }

    @Test
    void collectorsReportTargetsLookupsErrorsAndRefreshState(@TempDir Path dir) throws Exception {
        DiscoveryFactory.Components c = start("""
                refresh: { interval: 1h }
                sources:
                  - type: static
                    targets:
                      - { name: a, type: slack, url: "https://hooks.slack.com/services/T/B/SECRETXYZ" }
                      - { name: b, type: slack, url: "https://example.test/", enabled: false }
                      - { name: "bad name", url: "https://example.test/" }
                  - type: file
                    files: [ "%s/missing-dir/x.yml" ]
                """.formatted(dir));
        try (CollectorRegistry registry = new CollectorRegistry(c.collectors(), Duration.ofSeconds(1),
                Clock.defaultClock())) {
            Snapshot snapshot = registry.collect();
            assertThat(value(snapshot, "tally_discovery_targets", "slack", "true", "static")).isEqualTo(1);
            assertThat(value(snapshot, "tally_discovery_targets", "slack", "false", "static")).isEqualTo(1);
            assertThat(value(snapshot, "tally_discovery_invalid_targets", "static", "invalid_name")).isEqualTo(1);
            assertThat(value(snapshot, "tally_discovery_lookups", "static", "success")).isEqualTo(1);
            assertThat(value(snapshot, "tally_refresh_targets", "valid")).isEqualTo(2);
            assertThat(value(snapshot, "tally_refresh_targets", "invalid")).isEqualTo(1);
            assertThat(value(snapshot, "tally_refresh_status", "success")).isEqualTo(1);
            assertThat(value(snapshot, "tally_refresh_interval_seconds")).isEqualTo(3600);
            assertThat(snapshot.family("tally_discovery_duration_seconds").histograms()).hasSize(2);
            assertThat(snapshot.targets().facts("a", TargetInfo.class)).singleElement()
                    .satisfies(info -> assertThat(info.target().url().toString()).isEqualTo("https://hooks.slack.com/services/***"));
            for (MetricFamily family : snapshot.families()) {
                for (Sample s : family.samples()) {
                    assertThat(String.join(",", s.labelValues())).doesNotContain("SECRETXYZ");
                }
            }
        }
    }

    /** A lookup that ignores interrupts until released: the kind a cancel cannot stop. */
    private static final class Deaf implements TargetSource {
        final java.util.concurrent.atomic.AtomicInteger entered = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        @Override
        public String name() {
            return "deaf";
        }

        @Override
        public SourceResult discover(Duration timeout) {
            entered.incrementAndGet();
            running.incrementAndGet();
            try {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // deaf to cancels, on purpose
                    }
                }
                return new SourceResult(List.of(), List.of());
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aLookupThatIgnoresItsCancelGetsNoSecondThreadAndIsReportedAsATimeout() throws Exception {
        Deaf deaf = new Deaf();
        RefreshSettings settings = TestSupport.YAML.readValue("{ interval: 1h, timeout: 500ms, retries: 0 }",
                RefreshSettings.class);
        RefreshManager manager = new RefreshManager(List.of(deaf), settings, catalog, environment.clock(),
                environment.scheduler());
        long startedAt = System.nanoTime();
        long releasedAt;
        double detected;
        try {
            DiscoveryState first = manager.refreshNow();
            detected = (System.nanoTime() - startedAt) / 1e9;
            assertThat(first.sources()).singleElement().satisfies(s ->
                    assertThat(s.lastError()).isEqualTo("timeout: no answer within 500 ms"));

            for (int i = 0; i < 5; i++) {
                manager.refreshNow();
            }

            assertThat(deaf.entered.get()).as("lookups started").isEqualTo(1);
            assertThat(deaf.running.get()).as("lookups running at once").isEqualTo(1);
            SourceStats stats = manager.state().sources().get(0);
            assertThat(stats.lastError()).isEqualTo("timeout: previous lookup still running");
            assertThat(stats.errorsByKind()).containsEntry("timeout", 6L);
            assertThat(stats.failures()).isEqualTo(6);
            assertThat(manager.state().lastError()).isEqualTo("deaf: timeout: previous lookup still running");
        } finally {
            releasedAt = System.nanoTime();
            deaf.release.countDown();
        }
        // Once the stuck lookup ends, a refresh looks up again.
        await(() -> manager.refreshNow().status() == RefreshStatus.SUCCESS);
        System.out.printf("FAULT| discovery lookup ignores its cancel (hangs, deaf to interrupts) | refresh failed,"
                + " source error \"timeout: previous lookup still running\", tally_discovery_errors{kind=timeout},"
                + " one lookup thread only | detected in %.2f s | recovered in %.2f s after"
                + " the lookup ended%n", detected, (System.nanoTime() - releasedAt) / 1e9);
        assertThat(deaf.entered.get()).isGreaterThanOrEqualTo(2);
        assertThat(manager.state().sources().get(0).lastError()).isNull();
        // A lookup that ended is not taken for one still running by the refresh right after it.
        for (int i = 0; i < 20; i++) {
            assertThat(manager.refreshNow().status()).as("refresh " + i).isEqualTo(RefreshStatus.SUCCESS);
        }
        manager.stop();
    }

    private static double value(Snapshot snapshot, String family, String... labels) {
        MetricFamily f = snapshot.family(family);
        assertThat(f).as(family).isNotNull();
        return f.samples().stream().filter(s -> s.labelValues().equals(List.of(labels))).findFirst()
                .map(Sample::value).orElseThrow(() -> new AssertionError(family + List.of(labels) + " in " + f.samples()));
    }
}
