package io.tally.benchmarks.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak of issue 10, driven by {@code benchmarks/soak/run.sh}: it hosts two of the faults (a
 * broker proxy that it cuts and restores every {@code flap} seconds, and a publisher that serves
 * garbage), waits for the Tally the script started, runs wrk on {@code /stats} and {@code /metrics}
 * from then on, and for {@code duration} seconds after the warm-up samples Tally every
 * {@code sample} seconds and reads {@code /stats} every second to time what Tally shows about the
 * broker. At the end it
 * writes the report ({@link SoakReport}) and exits 0 when every criterion held, 1 when one did
 * not, 2 when the harness itself failed.
 */
public final class Soak {
    /** One sample: figures by name (see {@link SoakReport}) and collector statuses from {@code /stats}. */
    record Sample(long at, String phase, Map<String, Double> figures, Map<String, String> statuses) {
        double get(String name) {
            return figures.getOrDefault(name, Double.NaN);
        }
    }

    /** One read of {@code /stats}: when, which snapshot, the queue source's status in it. */
    record Observation(long at, long collectedAt, String queueStatus, double durationSeconds, int httpStatus,
                       String slowest) {
    }

    /** The proxy went down ({@code up == false}) or came back at {@code at}. */
    record Flip(long at, boolean up) {
    }

    /** How much longer than {@code warmup} the soak waits for Tally's state to be complete. */
    static final int MAX_EXTRA_WARMUP_SECONDS = 300;
    static final String HEALTHY_PREFIX = "target-";
    static final String STALLED_PREFIX = "stall-";
    private static final Set<String> FAMILIES = Set.of(
            "tally_collection_overruns_total", "tally_collections_total", "tally_collection_duration_seconds_bucket",
            "tally_collection_duration_seconds_count", "tally_collector_timeouts_total", "tally_collector_errors_total",
            "jvm_threads_current", "jvm_memory_bytes_used", "process_open_fds", "process_resident_memory_bytes",
            "tally_trend_store_bytes", "tally_trend_points", "http_server_requests_total",
            "tally_target_health_status", "tally_target_checks_total", "tally_target_check_failures_total",
            "tally_health_probes_skipped_total", "tally_health_probes_running", "tally_publisher_up",
            "tally_publisher_scrape_errors_total", "tally_queue_source_connected",
            "tally_queue_source_reconnect_attempts_total", "tally_snapshot_age_seconds");

    private final SoakSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<Observation> observations = new CopyOnWriteArrayList<>();
    private final List<Flip> flips = new CopyOnWriteArrayList<>();
    private final List<String> harnessErrors = new CopyOnWriteArrayList<>();
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private final AtomicInteger monitorServerErrors = new AtomicInteger();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private Jcmd jcmd;

    private Soak(SoakSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new Soak(SoakSettings.parse(args)).run();
        } catch (Exception e) {
            System.err.println("soak: harness failed: " + e);
            e.printStackTrace();
            code = 2;
        }
        System.exit(code);
    }

    private int run() throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> children.forEach(Process::destroy)));
        redis("RPUSH", settings.redisKey(), "soak-1", "soak-2", "soak-3");
        redis("EXPIRE", settings.redisKey(), "7200");
        try (FlappingProxy proxy = new FlappingProxy(settings.proxyPort(), settings.redisPort());
             GarbagePublisher garbage = GarbagePublisher.start(settings.garbagePort(), 10L)) {
            say("peers ready: broker proxy on " + proxy.port() + " -> " + settings.redisPort() + ", garbage publisher on "
                    + garbage.port());
            long pid = awaitTally();
            long ready = System.currentTimeMillis();
            say("Tally (pid " + pid + ") answers; warm-up " + settings.warmupSeconds() + " s");
            jcmd = new Jcmd(pid, settings.work());
            ScheduledExecutorService loops = Executors.newScheduledThreadPool(2);
            loops.scheduleWithFixedDelay(this::observe, 0, 1, TimeUnit.SECONDS);
            loops.scheduleAtFixedRate(this::sample, 0, settings.sampleSeconds(), TimeUnit.SECONDS);

            // wrk runs from the start: the heap measured before the window then holds what serving it keeps
            List<Path> wrkOutputs = List.of(wrk("/stats", settings.statsConnections()),
                    wrk("/metrics", settings.metricsConnections()));
            // The heap is weighed once Tally holds its whole state: every target has a status and the
            // health collector has finished a collection in time (at 10 000 targets on busy cores that
            // can take longer than the warm-up).
            long complete = awaitCompleteState(ready + (settings.warmupSeconds() + MAX_EXTRA_WARMUP_SECONDS) * 1000L);
            say(complete > 0 ? "every target has a status in /stats, " + (complete - ready) / 1000 + " s after start"
                    : "not every target has a status after " + MAX_EXTRA_WARMUP_SECONDS + " s more; going on");
            sleepUntil(Math.max(ready + settings.warmupSeconds() * 1000L - 25_000, complete + 10_000));
            double liveStart = liveHeap();
            double trendStart = trendBytes();
            sleepUntil(Math.max(ready + settings.warmupSeconds() * 1000L, System.currentTimeMillis() + 25_000));

            windowStart = System.currentTimeMillis();
            windowEnd = windowStart + settings.durationSeconds() * 1000L;
            say("window: " + settings.durationSeconds() + " s of flapping, stalls, garbage and wrk");
            Thread flapper = Thread.ofPlatform().name("flapper").start(() -> flap(proxy));
            sleepUntil(windowEnd);
            flapper.interrupt();
            flapper.join();
            for (Process child : children) {
                // SIGINT: wrk stops and prints its summary (it would print nothing on SIGTERM)
                new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
            }
            if (!proxy.isUp()) {
                proxy.restore();
                flips.add(new Flip(System.currentTimeMillis(), true));
            }
            for (Process child : children) {
                if (!child.waitFor(90, TimeUnit.SECONDS)) {
                    harnessErrors.add("wrk did not finish 90 s after the window");
                    child.destroy();
                }
            }
            awaitLastRecovery();
            loops.shutdown();
            loops.awaitTermination(60, TimeUnit.SECONDS);

            double liveEnd = liveHeap();
            double trendEnd = trendBytes();
            countVirtualThreads();
            Map<String, Integer> parked = finalThreadDump();
            List<WrkResult> wrk = new ArrayList<>();
            wrk.add(WrkResult.parse(settings.tally() + "/stats", Files.readString(wrkOutputs.get(0))));
            wrk.add(WrkResult.parse(settings.tally() + "/metrics", Files.readString(wrkOutputs.get(1))));
            SoakReport report = new SoakReport(settings, ready, complete, windowStart, windowEnd,
                    List.copyOf(samples), List.copyOf(observations), List.copyOf(flips), proxy.acceptedAt(), wrk,
                    GcLog.read(settings.gcLog()), liveStart, liveEnd, trendStart, trendEnd, parked, garbage.served(),
                    monitorServerErrors.get(), List.copyOf(harnessErrors));
            String text = report.render();
            System.out.println(text);
            Files.writeString(settings.report(), text);
            Path raw = rawData();
            say("report written to " + settings.report() + ", samples and /stats reads to " + raw);
            return report.passed() ? 0 : 1;
        } finally {
            try {
                redis("DEL", settings.redisKey());
            } catch (IOException e) {
                say("could not delete " + settings.redisKey() + ": " + e.getMessage());
            }
        }
    }

    /** Every sample and every /stats read, as JSON lines beside the report, for a second look. */
    private Path rawData() throws IOException {
        String name = settings.report().getFileName().toString().replaceFirst("\\.md$", "");
        Path raw = settings.report().resolveSibling(name + ".samples.jsonl");
        StringBuilder out = new StringBuilder();
        for (Sample sample : samples) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("t", (sample.at() - windowStart) / 1000.0);
            line.put("phase", sample.phase());
            line.put("statuses", sample.statuses());
            sample.figures().forEach((k, v) -> line.put(k, Double.isNaN(v) ? null : v));
            out.append(json.writeValueAsString(line)).append('\n');
        }
        for (Observation o : observations) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("t", (o.at() - windowStart) / 1000.0);
            line.put("read", "stats");
            line.put("collected", o.collectedAt() == 0 ? null : (o.collectedAt() - windowStart) / 1000.0);
            line.put("queue", o.queueStatus());
            line.put("duration", Double.isNaN(o.durationSeconds()) ? null : o.durationSeconds());
            line.put("http", o.httpStatus());
            line.put("slowest", o.slowest());
            out.append(json.writeValueAsString(line)).append('\n');
        }
        for (Flip flip : flips) {
            out.append("{\"t\":").append((flip.at() - windowStart) / 1000.0).append(",\"proxy\":\"")
                    .append(flip.up() ? "restored" : "cut").append("\"}\n");
        }
        Files.writeString(raw, out);
        return raw;
    }

    /** Fills in every sample's live virtual threads from the JFR recording Tally runs under (see run.sh). */
    private void countVirtualThreads() {
        Path file = settings.work().resolve("vthreads.jfr");
        try {
            jcmd.dumpRecording("soak", file);
            VirtualThreadCount count = VirtualThreadCount.read(file);
            for (Sample sample : samples) {
                sample.figures().put("threads_virtual", (double) count.liveAt(sample.at()));
            }
            say(count.started() + " virtual threads started during the run");
        } catch (Exception e) {
            harnessErrors.add("virtual threads from JFR: " + e);
        }
    }

    /** One thread dump, the soak's last act on Tally: where its virtual threads wait at the end. */
    private Map<String, Integer> finalThreadDump() {
        try {
            return jcmd.threads().groups();
        } catch (Exception e) {
            harnessErrors.add("final thread dump: " + e);
            return Map.of();
        }
    }

    /** When /stats first showed no target `unknown` and the health collector `ok`; 0 if not by the deadline. */
    private long awaitCompleteState(long deadline) throws InterruptedException {
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> response = get("/stats?limit=1", Duration.ofSeconds(10));
                JsonNode stats = json.readTree(response.body());
                if (response.statusCode() == 200
                        && stats.path("targets").path("by_status").path("unknown").asInt(-1) == 0
                        && "ok".equals(collectorStatus(stats, "health"))) {
                    return System.currentTimeMillis();
                }
            } catch (IOException e) {
                // counted by the samples; try again
            }
            Thread.sleep(2000);
        }
        return 0;
    }

    /**
     * The heap a full GC leaves, from the GC log's line for it: what is live. (Reading the used heap
     * after the GC instead would count what wrk's requests allocate while jcmd attaches again.)
     */
    private double liveHeap() throws IOException, InterruptedException {
        long before = fullPauses().size();
        jcmd.fullGc();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            List<GcLog.Pause> full = fullPauses();
            if (full.size() > before) {
                return full.get(full.size() - 1).afterBytes();
            }
            Thread.sleep(200);
        }
        harnessErrors.add("no full GC in the GC log after jcmd GC.run");
        return Double.NaN;
    }

    private List<GcLog.Pause> fullPauses() throws IOException {
        return GcLog.read(settings.gcLog()).stream().filter(p -> p.kind().startsWith("Pause Full")).toList();
    }

    private long awaitTally() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(settings.pidFile())) {
                String pid = Files.readString(settings.pidFile()).strip();
                if (!pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        if (get("/stats?limit=1", Duration.ofSeconds(5)).statusCode() == 200) {
                            return Long.parseLong(pid);
                        }
                    } catch (IOException e) {
                        // not listening yet
                    }
                } else if (!pid.isEmpty()) {
                    throw new IOException("Tally (pid " + pid + ") exited before it answered; see tally.log");
                }
            }
            Thread.sleep(500);
        }
        throw new IOException("Tally did not answer /stats within 300 s");
    }

    /** Cuts the proxy at window start + flap, restores it flap seconds later, and so on to the window's end. */
    private void flap(FlappingProxy proxy) {
        long next = windowStart + settings.flapSeconds() * 1000L;
        try {
            while (next < windowEnd) {
                sleepUntil(next);
                boolean up = !proxy.isUp();
                if (up) {
                    proxy.restore();
                } else {
                    proxy.cut();
                }
                flips.add(new Flip(System.currentTimeMillis(), up));
                say("broker proxy " + (up ? "restored" : "cut"));
                next += settings.flapSeconds() * 1000L;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            harnessErrors.add("proxy: " + e.getMessage());
        }
    }

    /** After the window, keep reading until Tally shows the broker back after the last restore (at most 30 s). */
    private void awaitLastRecovery() throws InterruptedException {
        Flip last = flips.isEmpty() ? null : flips.get(flips.size() - 1);
        long deadline = System.currentTimeMillis() + 30_000;
        while (last != null && last.up() && System.currentTimeMillis() < deadline) {
            for (Observation o : observations) {
                if (o.at() > last.at() && "ok".equals(o.queueStatus())) {
                    return;
                }
            }
            Thread.sleep(500);
        }
    }

    private Path wrk(String path, int connections) throws IOException {
        Path output = settings.work().resolve("wrk" + path.replace('/', '-') + ".txt");
        // long enough for the longest warm-up and the window; stopped with SIGINT when the window ends
        int seconds = settings.warmupSeconds() + MAX_EXTRA_WARMUP_SECONDS + settings.durationSeconds() + 60;
        Process process = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "--latency", settings.tally() + path)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        children.add(process);
        return output;
    }

    private void observe() {
        long at = System.currentTimeMillis();
        try {
            HttpResponse<String> response = get("/stats?limit=1", Duration.ofSeconds(10));
            if (response.statusCode() >= 500) {
                monitorServerErrors.incrementAndGet();
            }
            if (response.statusCode() != 200) {
                observations.add(new Observation(at, 0, "http " + response.statusCode(), Double.NaN,
                        response.statusCode(), ""));
                return;
            }
            JsonNode stats = json.readTree(response.body());
            JsonNode snapshot = stats.path("snapshot");
            observations.add(new Observation(at, Instant.parse(snapshot.path("collected_at").asText()).toEpochMilli(),
                    collectorStatus(stats, settings.queueSource()), snapshot.path("duration_seconds").asDouble(),
                    200, slowestCollector(stats)));
        } catch (Exception e) {
            observations.add(new Observation(at, 0, "error: " + e.getClass().getSimpleName(), Double.NaN, 0, ""));
        }
    }

    private void sample() {
        long at = System.currentTimeMillis();
        Map<String, Double> f = new LinkedHashMap<>();
        Map<String, String> statuses = new LinkedHashMap<>();
        try {
            long fetchStart = System.nanoTime();
            HttpResponse<String> response = get("/metrics", Duration.ofSeconds(60));
            f.put("metrics_seconds", (System.nanoTime() - fetchStart) / 1e9);
            f.put("metrics_bytes", (double) response.body().length());
            if (response.statusCode() >= 500) {
                monitorServerErrors.incrementAndGet();
            }
            readMetrics(MetricsText.parse(response.body(), FAMILIES), f);
        } catch (Exception e) {
            harnessErrors.add("sample /metrics at " + Instant.ofEpochMilli(at) + ": " + e);
        }
        try {
            HttpResponse<String> response = get("/stats?limit=1", Duration.ofSeconds(10));
            if (response.statusCode() >= 500) {
                monitorServerErrors.incrementAndGet();
            }
            JsonNode stats = json.readTree(response.body());
            f.put("stats_duration", stats.path("snapshot").path("duration_seconds").asDouble());
            for (JsonNode collector : stats.path("collectors")) {
                statuses.put(collector.path("name").asText(), collector.path("status").asText());
            }
            statuses.put("/stats health", stats.path("health").path("status").asText());
            f.put("health_score", stats.path("health").path("score").asDouble(Double.NaN));
            for (String status : List.of("healthy", "degraded", "unhealthy", "unknown")) {
                f.put("by_status_" + status, stats.path("targets").path("by_status").path(status).asDouble(Double.NaN));
            }
            HttpResponse<String> unhealthy = get("/stats?status=unhealthy&q=" + STALLED_PREFIX + "&limit=1000",
                    Duration.ofSeconds(10));
            if (unhealthy.statusCode() >= 500) {
                monitorServerErrors.incrementAndGet();
            }
            int n = 0;
            for (JsonNode item : json.readTree(unhealthy.body()).path("items")) {
                if (item.path("name").asText().startsWith(STALLED_PREFIX)) {
                    n++;
                }
            }
            f.put("stalled_unhealthy_api", (double) n);
        } catch (Exception e) {
            harnessErrors.add("sample /stats at " + Instant.ofEpochMilli(at) + ": " + e);
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.targetServerStatus()))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n")) {
                String[] parts = line.split(" ");
                if (parts.length == 2) {
                    f.put("targetserver_" + parts[0], Double.parseDouble(parts[1]));
                }
            }
        } catch (Exception e) {
            harnessErrors.add("sample target server at " + Instant.ofEpochMilli(at) + ": " + e);
        }
        try {
            f.put("load1", Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
        } catch (Exception e) {
            // not Linux: no load figure
        }
        String phase = at < windowStart ? "warmup" : at <= windowEnd ? "window" : "after";
        samples.add(new Sample(at, phase, f, statuses));
    }

    private void readMetrics(MetricsText m, Map<String, Double> f) {
        f.put("overruns", m.sum("tally_collection_overruns_total"));
        f.put("collections", m.sum("tally_collections_total"));
        f.put("duration_count", m.sum("tally_collection_duration_seconds_count"));
        for (MetricsText.Series bucket : m.series("tally_collection_duration_seconds_bucket")) {
            f.put("bucket_" + bucket.label("le"), bucket.value());
        }
        f.put("collector_timeouts", m.sum("tally_collector_timeouts_total"));
        f.put("collector_errors", m.sum("tally_collector_errors_total"));
        f.put("threads_platform", m.sum("jvm_threads_current"));
        f.put("heap_used", m.value("jvm_memory_bytes_used", "area", "heap"));
        f.put("open_fds", m.sum("process_open_fds"));
        f.put("rss", m.sum("process_resident_memory_bytes"));
        f.put("trend_bytes", m.sum("tally_trend_store_bytes"));
        f.put("trend_points", m.sum("tally_trend_points"));
        f.put("snapshot_age", m.sum("tally_snapshot_age_seconds"));
        f.put("http_requests", m.sum("http_server_requests_total"));
        f.put("http_5xx", zeroIfNaN(m.sum("http_server_requests_total", s -> s.label("status").startsWith("5"))));
        f.put("checks_healthy", m.sum("tally_target_checks_total", s -> s.label("target").startsWith(HEALTHY_PREFIX)));
        f.put("checks_stalled", m.sum("tally_target_checks_total", s -> s.label("target").startsWith(STALLED_PREFIX)));
        f.put("targets_healthy", (double) m.count("tally_target_health_status", s -> s.value() == 1
                && s.label("status").equals("healthy") && s.label("target").startsWith(HEALTHY_PREFIX)));
        f.put("healthy_not_healthy", (double) m.count("tally_target_health_status", s -> s.value() == 1
                && !s.label("status").equals("healthy") && s.label("target").startsWith(HEALTHY_PREFIX)));
        f.put("stalled_unhealthy", (double) m.count("tally_target_health_status", s -> s.value() == 1
                && s.label("status").equals("unhealthy") && s.label("target").startsWith(STALLED_PREFIX)));
        f.put("stalled_unknown", (double) m.count("tally_target_health_status", s -> s.value() == 1
                && s.label("status").equals("unknown") && s.label("target").startsWith(STALLED_PREFIX)));
        f.put("stalled_timeout", (double) m.count("tally_target_check_failures_total", s -> s.value() > 0
                && s.label("error").equals("timeout") && s.label("target").startsWith(STALLED_PREFIX)));
        f.put("stalled_other_errors", (double) m.count("tally_target_check_failures_total", s -> s.value() > 0
                && !s.label("error").equals("timeout") && s.label("target").startsWith(STALLED_PREFIX)));
        f.put("probes_skipped", m.sum("tally_health_probes_skipped_total"));
        f.put("probes_running", m.sum("tally_health_probes_running"));
        f.put("publisher_up", m.value("tally_publisher_up", "publisher", settings.publisher()));
        f.put("publisher_parse_errors", zeroIfNaN(m.sum("tally_publisher_scrape_errors_total",
                s -> s.label("publisher").equals(settings.publisher()) && s.label("kind").equals("parse"))));
        f.put("publisher_other_errors", zeroIfNaN(m.sum("tally_publisher_scrape_errors_total",
                s -> s.label("publisher").equals(settings.publisher()) && !s.label("kind").equals("parse"))));
        f.put("queue_connected", m.value("tally_queue_source_connected", "source", settings.queueSource()));
        f.put("queue_reconnects", m.value("tally_queue_source_reconnect_attempts_total", "source",
                settings.queueSource()));
    }

    private double trendBytes() {
        try {
            return MetricsText.parse(get("/metrics", Duration.ofSeconds(60)).body(), Set.of("tally_trend_store_bytes"))
                    .sum("tally_trend_store_bytes");
        } catch (Exception e) {
            harnessErrors.add("trend bytes: " + e);
            return Double.NaN;
        }
    }

    /** The collector that took longest in this snapshot, as "name status duration-ms". */
    private static String slowestCollector(JsonNode stats) {
        JsonNode slowest = null;
        for (JsonNode collector : stats.path("collectors")) {
            if (slowest == null || collector.path("duration_seconds").asDouble() > slowest.path("duration_seconds")
                    .asDouble()) {
                slowest = collector;
            }
        }
        return slowest == null ? "" : slowest.path("name").asText() + " " + slowest.path("status").asText() + " "
                + SoakReport.fmt(slowest.path("duration_seconds").asDouble() * 1000, 1) + " ms";
    }

    private static String collectorStatus(JsonNode stats, String name) {
        for (JsonNode collector : stats.path("collectors")) {
            if (name.equals(collector.path("name").asText())) {
                return collector.path("status").asText();
            }
        }
        return "absent";
    }

    private HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(settings.tally() + path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One Redis command in RESP, straight to Redis (not through the proxy). */
    private void redis(String... words) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), settings.redisPort())) {
            socket.setSoTimeout(5000);
            StringBuilder command = new StringBuilder("*").append(words.length).append("\r\n");
            for (String word : words) {
                command.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(command.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            int first = in.read();
            if (first == '-' || first == -1) {
                throw new IOException("Redis refused " + words[0]);
            }
        }
    }

    private static double zeroIfNaN(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static void say(String message) {
        System.out.println("soak: " + Instant.now().toString().substring(11, 19) + " " + message);
        System.out.flush();
    }
}
