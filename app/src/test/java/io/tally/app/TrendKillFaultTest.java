package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.app.testing.TallyProcess;
import io.tally.app.trends.TrendStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tally in its own JVM, killed with SIGKILL again and again: half the time the moment its trend
 * flush creates the temporary file (mid-flush), half the time at a random moment. After every kill
 * the file reads back (never set aside as corrupt) and holds every point but those of at most one
 * flush interval (plus the collection that was in flight); every restart loads it.
 */
class TrendKillFaultTest {
    private static final long FLUSH_MILLIS = 1_000;
    private static final long COLLECTION_MILLIS = 100;
    /**
     * Scheduling and I/O on a shared, loaded machine, and the flush's own write of a 1 000-target
     * file (a kill inside a flush loses what the flush was writing too); the measured loss is printed.
     */
    private static final long SLACK_MILLIS = 2_000;
    private static final int ROUNDS = 4;
    /**
     * A kill aimed at the flush's start can land after its rename when the write and fsync are
     * quick; such rounds still check the file, and more are run until one lands inside a flush.
     */
    private static final int MAX_ROUNDS = 12;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void sigkillDuringTrendFlushesLosesAtMostOneFlushInterval(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("trends");
        Files.createDirectories(data);
        Path file = data.resolve("trends.bin");
        Path tmp = data.resolve("trends.bin.tmp");
        Random random = new Random(17);
        long worstLoss = 0;
        int midFlush = 0;
        double worstRestart = 0;
        int rounds = 0;
        Child child = Child.start(dir, data, 0);
        try {
            int round = 0;
            for (; round < ROUNDS || (midFlush == 0 && round < MAX_ROUNDS); round++) {
                child.awaitFlushedSinceStart(http, json);
                long killedAt;
                if (round % 2 == 0 || round >= ROUNDS) {
                    killedAt = killWhenFlushStarts(child, data);
                } else {
                    Thread.sleep(random.nextInt((int) FLUSH_MILLIS * 3 / 2));
                    killedAt = System.currentTimeMillis();
                    child.process.destroyForcibly();
                }
                assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(child.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
                if (Files.exists(tmp)) {
                    midFlush++;
                }

                // The file reads back as it is, in a store of the test's own.
                Path copyDir = Files.createTempDirectory(dir, "copy");
                Path copy = copyDir.resolve("trends.bin");
                Files.copy(file, copy);
                TrendStore store = new TrendStore(100_000);
                store.load(copy);
                assertThat(copy).as("round %d: not set aside as corrupt", round).exists();
                assertThat(store.seriesCount()).isPositive();
                TrendStore.Points points = store.read("system:healthy_targets", 0, Long.MAX_VALUE);
                long loss = killedAt - points.times()[points.size() - 1];
                assertThat(loss).as("round %d: history lost by the kill, ms", round)
                        .isLessThanOrEqualTo(FLUSH_MILLIS + COLLECTION_MILLIS + SLACK_MILLIS);
                worstLoss = Math.max(worstLoss, loss);
                for (int i = 1; i < points.size(); i++) {
                    assertThat(points.times()[i]).isGreaterThan(points.times()[i - 1]);
                }

                long restart = System.nanoTime();
                child = Child.start(dir, data, round + 1);
                JsonNode trend = child.awaitTrend(http, json);
                worstRestart = Math.max(worstRestart, (System.nanoTime() - restart) / 1e9);
                Instant firstShown = Instant.parse(trend.at("/points/0/0").asText());
                assertThat(firstShown).as("history from before the kill is served").isBefore(Instant.ofEpochMilli(killedAt));
                assertThat(child.stdout()).contains("Loaded").doesNotContain("unreadable");
                try (var listing = Files.list(data)) {
                    assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("corrupt"));
                }
            }
            rounds = round;
        } finally {
            child.process.destroy();
            child.process.waitFor(30, TimeUnit.SECONDS);
            child.process.destroyForcibly();
        }
        assertThat(midFlush).as("kills that landed inside a flush (its temporary file left behind)").isPositive();
        System.out.printf(Locale.ROOT, "FAULT| SIGKILL of Tally during trend flushes (%d kills, %d mid-flush, "
                        + "flushInterval 1s) | trends.bin reads back every time, never set aside; restart logs \"Loaded\" "
                        + "and serves the history; at most %.2f s of points lost | detected in n/a (process gone) | "
                        + "recovered in %.1f s (restart to history served)%n", rounds, midFlush, worstLoss / 1000.0,
                worstRestart);
    }

    /** Kills the child the moment its flush creates the temporary file; returns when. */
    private static long killWhenFlushStarts(Child child, Path data) throws Exception {
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            data.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                WatchKey key = watcher.poll(100, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (String.valueOf(event.context()).equals("trends.bin.tmp")) {
                        long at = System.currentTimeMillis();
                        child.process.destroyForcibly();
                        return at;
                    }
                }
                key.reset();
            }
        }
        throw new AssertionError("no trend flush began within 20 s");
    }

    private record Child(Process process, int port, Path stdoutFile, Instant started) {
        static Child start(Path dir, Path data, int round) throws IOException {
            int port = TallyProcess.freePort();
            int closed = TallyProcess.freePort();
            StringBuilder targets = new StringBuilder();
            // Enough targets for a trend file that takes a moment to write.
            for (int i = 0; i < 1_000; i++) {
                targets.append("        - { name: t").append(i).append(", type: webhook, url: \"http://127.0.0.1:")
                        .append(closed).append("/\" }\n");
            }
            Path config = dir.resolve("config-" + round + ".yml");
            Files.writeString(config, """
                    server:
                      applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                      adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                      requestLog: { appenders: [] }
                    collection: { interval: %dms, deadline: 80ms, maxAge: 0s }
                    discovery:
                      sources:
                        - type: static
                          targets:
                    %s
                    health: { interval: 1s, timeout: 200ms }
                    trends: { dataDir: "%s", flushInterval: %dms }
                    logging: { level: WARN, loggers: { io.tally.app.trends: INFO } }
                    """.formatted(port, TallyProcess.freePort(), COLLECTION_MILLIS, targets, data, FLUSH_MILLIS));
            Path out = dir.resolve("stdout-" + round + ".txt");
            Process process = TallyProcess.start(List.of(), out, dir.resolve("stderr-" + round + ".txt"), "server",
                    config.toString());
            return new Child(process, port, out, Instant.now());
        }

        String stdout() throws IOException {
            return Files.readString(stdoutFile);
        }

        JsonNode awaitTrend(HttpClient http, ObjectMapper json) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> errors = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("tally running; stdout: %s", stdout()).isTrue();
                try {
                    JsonNode trend = json.readTree(http.send(HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + port + "/trends?metric=healthy_targets&window=5m"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
                    if (trend.at("/points").size() > 0) {
                        return trend;
                    }
                } catch (IOException e) {
                    errors.add(e.toString()); // not listening yet
                }
                Thread.sleep(50);
            }
            throw new AssertionError("tally did not serve /trends within 60 s: " + errors.subList(
                    Math.max(0, errors.size() - 3), errors.size()));
        }

        /** Waits until a flush completed well after this start, so the file holds this run's points. */
        void awaitFlushedSinceStart(HttpClient http, ObjectMapper json) throws Exception {
            awaitTrend(http, json);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                JsonNode persistence = json.readTree(http.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + port + "/trends?metric=healthy_targets&window=5m")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).at("/persistence");
                if (persistence.at("/status").asText().equals("ok")
                        && Instant.parse(persistence.at("/last_flush").asText()).isAfter(started.plusMillis(1_500))) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no trend flush within 30 s of start");
        }
    }
}
