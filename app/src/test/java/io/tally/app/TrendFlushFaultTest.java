package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tally.app.config.TallyConfiguration;
import io.tally.app.trends.TrendStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trend directory made read-only, then full, while Tally runs: each failed flush is counted,
 * shown in /health (component and reason), /trends and /metrics, logged once, the history stays in
 * memory, and the first flush after the repair writes all of it. The directory is a small tmpfs of
 * its own (we run as root); where mounting is not allowed, the directory is replaced by a file.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TrendFlushFaultTest {
    static final Path DIR;
    static final Path DATA;
    static final Path LOG;
    static final boolean MOUNTED;
    static final DropwizardAppExtension<TallyConfiguration> APP;

    static {
        try {
            DIR = Files.createTempDirectory("tally-trend-fault");
            DATA = DIR.resolve("trends");
            Files.createDirectories(DATA);
            LOG = DIR.resolve("tally.log");
            MOUNTED = run("mount", "-t", "tmpfs", "-o", "size=1m", "tally-trend-fault", DATA.toString());
            Path config = DIR.resolve("config.yml");
            Files.writeString(config, """
                    server:
                      applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      requestLog: { appenders: [] }
                    collection: { interval: 200ms, deadline: 100ms, maxAge: 0s }
                    collectors:
                      - { type: test-counting, name: counting }
                    trends: { dataDir: "%s", flushInterval: 1s }
                    logging:
                      level: WARN
                      loggers: { io.tally.app.trends: INFO }
                      appenders:
                        - { type: file, currentLogFilename: "%s", archive: false }
                    """.formatted(DATA, LOG));
            APP = new DropwizardAppExtension<>(TallyApplication.class, config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @AfterAll
    static void unmount() throws IOException {
        if (MOUNTED) {
            run("mount", "-o", "remount,rw", DATA.toString());
            run("umount", "-l", DATA.toString());
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void failedFlushesAreVisibleKeepHistoryAndRecover() throws Exception {
        await(h -> component(h).equals("healthy"), "a first successful flush");
        assertThat(metrics()).containsPattern("tally_trend_flush_failing 0(\\.0)?\\n");

        int episodes = 0;
        if (MOUNTED) {
            episode("trend directory read-only (tmpfs remounted ro)", "Read-only file system",
                    () -> run("mount", "-o", "remount,ro", DATA.toString()),
                    () -> run("mount", "-o", "remount,rw", DATA.toString()));
            Path filler = DIR.resolve("trends").resolve("filler");
            episode("trend directory full (tmpfs at 1 MiB, ENOSPC)", "No space left on device",
                    () -> fill(filler), () -> Files.delete(filler));
            episodes = 2;
        } else {
            System.out.println("mount not permitted here: the directory is replaced by a file instead");
        }
        episode("trend directory replaced by a file", "FileAlreadyExistsException",
                () -> {
                    if (MOUNTED) {
                        run("umount", "-l", DATA.toString());
                    }
                    try (var files = Files.list(DATA)) {
                        for (Path p : files.toList()) {
                            Files.delete(p);
                        }
                    }
                    Files.delete(DATA);
                    Files.writeString(DATA, "not a directory");
                },
                () -> Files.delete(DATA));
        episodes++;

        // The file appender writes asynchronously: wait for the recovery line of the last episode.
        int expected = episodes;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(Files.readString(LOG), "Trend history written to") < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String log = Files.readString(LOG);
        assertThat(count(log, "Cannot write trend history")).as("one warning per episode").isEqualTo(expected);
        assertThat(count(log, "Trend history written to")).as("one line per recovery").isEqualTo(expected);
    }

    /** Injects a fault, waits until Tally shows it, repairs, waits until it shows the recovery. */
    private void episode(String fault, String expectedReason, Action inject, Action repair) throws Exception {
        long failuresBefore = counter("tally_trend_flush_failures_total");
        long injected = System.nanoTime();
        long faultStartMillis = System.currentTimeMillis();
        inject.run();
        JsonNode failing = await(h -> component(h).equals("degraded"), fault + " shown in /health");
        double detected = (System.nanoTime() - injected) / 1e9;
        String detail = failing.at("/components").findParents("name").stream()
                .filter(c -> c.get("name").asText().equals("trend_history")).findFirst().orElseThrow()
                .get("detail").asText();
        assertThat(detail).contains(expectedReason).contains("kept in memory");
        assertThat(failing.at("/reasons").toString()).contains("trend history is not being saved").contains(expectedReason);
        assertThat(metrics()).containsPattern("tally_trend_flush_failing 1(\\.0)?\\n");
        assertThat(counter("tally_trend_flush_failures_total")).isGreaterThan(failuresBefore);
        JsonNode trend = get("/trends?metric=healthy_targets&window=5m");
        assertThat(trend.at("/persistence/status").asText()).isEqualTo("failing");
        assertThat(trend.at("/persistence/reason").asText()).contains(expectedReason);
        // Points keep arriving in memory while nothing reaches the disk.
        int pointsAtFailure = trend.at("/points").size();
        await(h -> get("/trends?metric=healthy_targets&window=5m").at("/points").size() > pointsAtFailure + 3,
                "points recorded during the outage");
        long lastPointInOutage = System.currentTimeMillis();

        long repaired = System.nanoTime();
        repair.run();
        await(h -> component(h).equals("healthy") && metrics().contains("tally_trend_flush_failing 0"),
                "recovery from " + fault);
        double recovered = (System.nanoTime() - repaired) / 1e9;
        assertThat(get("/trends?metric=healthy_targets&window=5m").at("/persistence/status").asText()).isEqualTo("ok");

        // What was recorded during the outage is in the file now.
        Path copy = Files.createTempDirectory(DIR, "copy").resolve("trends.bin");
        Files.copy(DATA.resolve("trends.bin"), copy);
        TrendStore read = new TrendStore(1000);
        read.load(copy);
        TrendStore.Points points = read.read("system:healthy_targets", faultStartMillis, lastPointInOutage);
        assertThat(points.size()).as("points of the outage written after it").isGreaterThan(3);
        assertThat(copy).exists();

        System.out.printf(Locale.ROOT, "FAULT| %s | /health trend_history degraded (\"%s\"), reason listed, "
                        + "/trends persistence failing, tally_trend_flush_failing 1, tally_trend_flush_failures_total "
                        + "rising, one WARN; points kept in memory and written on recovery | detected in %.1f s | "
                        + "recovered in %.1f s%n", fault, expectedReason, detected, recovered);
    }

    private static String component(JsonNode health) {
        for (JsonNode c : health.at("/components")) {
            if (c.get("name").asText().equals("trend_history")) {
                return c.get("status").asText();
            }
        }
        return "absent";
    }

    private interface Action {
        void run() throws Exception;
    }

    private interface Check {
        boolean test(JsonNode health) throws Exception;
    }

    private JsonNode await(Check condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode health = null;
        while (System.nanoTime() < deadline) {
            health = get("/health");
            if (condition.test(health)) {
                return health;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "; last /health: " + health);
    }

    private JsonNode get(String path) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private long counter(String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+]+)$").matcher(metrics());
        assertThat(m.find()).as(name + " in /metrics").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Writes until the file system refuses: the disk is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
