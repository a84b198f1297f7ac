package io.tally.benchmarks.soak;

import io.tally.benchmarks.soak.Soak.Flip;
import io.tally.benchmarks.soak.Soak.Observation;
import io.tally.benchmarks.soak.Soak.Sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The soak's verdict: each criterion of issue 10 computed from the samples, the {@code /stats}
 * observations, the proxy's flips, wrk's output and the GC log, rendered as Markdown. Bounds are
 * fixed here, before any run, and each is written next to its figure.
 */
final class SoakReport {
    /** One criterion: what was measured, against what bound, and whether it held. */
    record Criterion(String name, String figure, String bound, boolean held) {
    }

    /** One cut-and-restore of the broker, in seconds after the flip (NaN: never seen). */
    record Cycle(long cutAt, double cutVisible, double cutSnapshot, long restoredAt, double reconnected,
                 double restoreVisible, double restoreSnapshot, int okWhileCut) {
    }

    private static final double MB = 1024 * 1024;
    /** Platform threads the last third of the window may hold above the first third's maximum. */
    private static final int PLATFORM_THREAD_SLACK = 4;
    /** Open descriptors the last third may hold above the first third's maximum. */
    private static final int FD_SLACK = 20;
    /** Live-heap growth (trend history excluded) the soak accepts: 16 MB or 10 % of the start, the larger. */
    private static final double HEAP_SLACK_BYTES = 16 * MB;
    private static final double HEAP_SLACK_RATIO = 0.10;

    private final SoakSettings s;
    private final long ready;
    private final long complete;
    private final long start;
    private final long end;
    private final List<Sample> samples;
    private final List<Sample> window;
    private final Sample baseline;
    private final Sample last;
    private final List<Observation> observations;
    private final List<Flip> flips;
    private final List<Long> accepted;
    private final List<WrkResult> wrk;
    private final List<GcLog.Pause> pauses;
    private final double liveStart;
    private final double liveEnd;
    private final double trendStart;
    private final double trendEnd;
    private final Map<String, Integer> virtualGroups;
    private final long garbageServed;
    private final int monitorServerErrors;
    private final List<String> harnessErrors;
    private final List<Criterion> criteria = new ArrayList<>();
    private final List<Cycle> cycles = new ArrayList<>();
    private final List<String> faultLines = new ArrayList<>();

    SoakReport(SoakSettings settings, long ready, long complete, long start, long end, List<Sample> samples,
               List<Observation> observations, List<Flip> flips, List<Long> accepted, List<WrkResult> wrk,
               List<GcLog.Pause> pauses,
               double liveStart, double liveEnd, double trendStart, double trendEnd, Map<String, Integer> virtualGroups,
               long garbageServed, int monitorServerErrors, List<String> harnessErrors) {
        this.s = settings;
        this.ready = ready;
        this.complete = complete;
        this.start = start;
        this.end = end;
        this.samples = samples;
        this.window = samples.stream().filter(x -> x.phase().equals("window")).toList();
        Sample before = null;
        for (Sample sample : samples) {
            if (sample.at() < start) {
                before = sample;
            }
        }
        this.baseline = before != null ? before : window.isEmpty() ? null : window.get(0);
        this.last = window.isEmpty() ? null : window.get(window.size() - 1);
        this.observations = observations;
        this.flips = flips;
        this.accepted = accepted;
        this.wrk = wrk;
        this.pauses = pauses;
        this.liveStart = liveStart;
        this.liveEnd = liveEnd;
        this.trendStart = trendStart;
        this.trendEnd = trendEnd;
        this.virtualGroups = virtualGroups;
        this.garbageServed = garbageServed;
        this.monitorServerErrors = monitorServerErrors;
        this.harnessErrors = harnessErrors;
        if (window.size() >= 3) {
            judge();
        } else {
            criteria.add(new Criterion("the soak sampled its window", window.size() + " samples", ">= 3", false));
        }
    }

    boolean passed() {
        return criteria.stream().allMatch(Criterion::held);
    }

    // ---------------------------------------------------------------- criteria

    private void judge() {
        deadline();
        flat("platform threads (jvm_threads_current)", x -> x.get("threads_platform"), PLATFORM_THREAD_SLACK, 0);
        flat("virtual threads (JFR: started minus ended)", x -> x.get("threads_virtual"), 20, 0.10);
        flat("open file descriptors (process_open_fds)", x -> x.get("open_fds"), FD_SLACK, 0);
        flat("stalled connections Tally holds open (the target server's count)",
                x -> x.get("targetserver_stalls_held"), 20, 0.10);
        heap();
        serverErrors();
        stalled();
        broker();
        garbage();
        probes();
        int expected = s.durationSeconds() / s.sampleSeconds();
        long complete = window.stream().filter(x -> !Double.isNaN(x.get("overruns"))
                && !Double.isNaN(x.get("threads_virtual")) && !Double.isNaN(x.get("stats_duration"))).count();
        criteria.add(new Criterion("harness: samples complete", complete + " of ~" + expected
                + (harnessErrors.isEmpty() ? "" : "; " + harnessErrors.size() + " harness errors (listed below)"),
                ">= 90 %", complete >= 0.9 * expected));
    }

    private void deadline() {
        double overruns = last.get("overruns") - baseline.get("overruns");
        double observed = 0;
        for (Observation o : observations) {
            if (o.at() >= start && o.at() <= end && o.httpStatus() == 200) {
                observed = Math.max(observed, o.durationSeconds());
            }
        }
        for (Sample x : window) {
            observed = nanMax(observed, x.get("stats_duration"));
        }
        double bound = s.deadline() + 0.010;
        criteria.add(new Criterion("1. every collection within deadline + 10 ms: tally_collection_overruns_total",
                fmt(overruns, 0) + " in the window (" + fmt(last.get("overruns"), 0) + " since start, "
                        + fmt(last.get("collections") - baseline.get("collections"), 0) + " collections in the window; "
                        + "all within " + maxBucket(baseline, last) + " s by the histogram)", "0", overruns == 0));
        criteria.add(new Criterion("1. every collection within deadline + 10 ms: /stats snapshot.duration_seconds",
                "max " + fmt(observed * 1000, 1) + " ms over " + countObservations() + " reads", "<= "
                + fmt(bound * 1000, 0) + " ms", observed <= bound));
    }

    /** The smallest bucket bound that holds every collection between two samples. */
    private static String maxBucket(Sample from, Sample to) {
        double count = to.get("duration_count") - (from == null ? 0 : from.get("duration_count"));
        List<Map.Entry<String, Double>> buckets = new ArrayList<>();
        for (Map.Entry<String, Double> e : to.figures().entrySet()) {
            if (e.getKey().startsWith("bucket_")) {
                buckets.add(e);
            }
        }
        buckets.sort(Comparator.comparingDouble(e -> le(e.getKey())));
        for (Map.Entry<String, Double> e : buckets) {
            double inBucket = e.getValue() - (from == null ? 0 : from.figures().getOrDefault(e.getKey(), 0.0));
            if (inBucket >= count) {
                return e.getKey().substring("bucket_".length());
            }
        }
        return "?";
    }

    private static double le(String key) {
        String bound = key.substring("bucket_".length());
        return bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
    }

    /**
     * Flat: the median of the window's last third is no higher than the first third's plus a slack. A
     * leak raises the floor and so the median; a burst of in-flight work (probes, connections after a
     * GC pause) raises a maximum for one sample and is not a trend.
     */
    private void flat(String name, ToDoubleFunction<Sample> figure, double slack, double slackRatio) {
        int third = Math.max(1, window.size() / 3);
        double firstMedian = median(window.subList(0, third), figure);
        double lastMedian = median(window.subList(window.size() - third, window.size()), figure);
        double allowed = firstMedian + Math.max(slack, slackRatio * firstMedian);
        criteria.add(new Criterion("2. flat: " + name, "first " + fmt(figure.applyAsDouble(window.get(0)), 0)
                + ", max " + fmt(max(window, figure), 0) + ", last " + fmt(figure.applyAsDouble(last), 0)
                + "; median of the first third " + fmt(firstMedian, 1) + ", of the last third " + fmt(lastMedian, 1)
                + "; trend " + fmt(slopePerMinute(figure), 2) + "/min",
                "last third's median <= " + fmt(allowed, 1), lastMedian <= allowed));
    }

    private static double median(List<Sample> list, ToDoubleFunction<Sample> figure) {
        double[] values = list.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private void heap() {
        double trendGrowth = nanZero(trendEnd) - nanZero(trendStart);
        double growth = (liveEnd - liveStart) - trendGrowth;
        double allowed = Math.max(HEAP_SLACK_BYTES, HEAP_SLACK_RATIO * liveStart);
        criteria.add(new Criterion("3. heap flat: live heap after a full GC, trend history excluded",
                fmt(liveStart / MB, 1) + " MB before the window, " + fmt(liveEnd / MB, 1) + " MB after it; trend store "
                        + fmt(trendStart / MB, 1) + " -> " + fmt(trendEnd / MB, 1) + " MB; growth without trends "
                        + fmt(growth / MB, 1) + " MB",
                "<= " + fmt(allowed / MB, 1) + " MB", growth <= allowed));
    }

    private void serverErrors() {
        double tally5xx = last.get("http_5xx");
        long wrkNon2xx = wrk.stream().mapToLong(WrkResult::non2xx).sum();
        boolean wrkComplete = wrk.stream().allMatch(WrkResult::complete);
        criteria.add(new Criterion("4. zero 5xx", "Tally's http_server_requests_total{status=~\"5..\"}: "
                + fmt(tally5xx, 0) + " of " + fmt(last.get("http_requests"), 0) + "; wrk non-2xx/3xx: " + wrkNon2xx
                + (wrkComplete ? "" : " (a wrk run did not complete)") + "; soak's own reads: " + monitorServerErrors,
                "0, 0, 0", tally5xx == 0 && wrkNon2xx == 0 && wrkComplete && monitorServerErrors == 0));
    }

    private void stalled() {
        double bound = s.stalledUnhealthyBound() + s.sampleSeconds() + s.maxAge();
        Double allAt = null;
        boolean stayed = true;
        for (Sample x : samples) {
            if (x.at() > end) {
                break;
            }
            boolean all = x.get("stalled_unhealthy") == s.stalled() && x.get("stalled_timeout") == s.stalled();
            if (allAt == null && all) {
                allAt = (x.at() - ready) / 1000.0;
            } else if (allAt != null && !all) {
                stayed = false;
            }
        }
        faultLines.add("FAULT| soak: " + s.stalled() + " of " + (s.stalled() + s.healthy())
                + " targets stall after the headers | unhealthy, class timeout "
                + "(tally_target_check_failures_total{error=\"timeout\"}) | detected in "
                + (allAt == null ? "never" : fmt(allAt, 0) + " s after start, all of them") + " | recovered in - (the stall never ends)");
        criteria.add(new Criterion("5. stalled targets unhealthy, class timeout",
                (allAt == null ? "never all " + s.stalled() : "all " + s.stalled() + " at +" + fmt(allAt, 0)
                        + " s after Tally answered" + (stayed ? " and to the end" : ", but not in every later sample"))
                        + "; at the end: unhealthy " + fmt(last.get("stalled_unhealthy"), 0) + " (/stats "
                        + fmt(last.get("stalled_unhealthy_api"), 0) + "), with timeout failures "
                        + fmt(last.get("stalled_timeout"), 0) + ", unknown " + fmt(last.get("stalled_unknown"), 0)
                        + ", other errors " + fmt(last.get("stalled_other_errors"), 0),
                "all, by +" + fmt(bound, 0) + " s (unhealthyAfter x (interval + timeout) + one sample + maxAge)",
                allAt != null && allAt <= bound && stayed));
    }

    private void broker() {
        double cutBound = s.pollInterval() + s.queueTimeout() + s.maxAge() + 2;
        double restoreBound = s.pollInterval() + s.maxAge() + 2;
        for (int i = 0; i < flips.size(); i++) {
            Flip cut = flips.get(i);
            if (cut.up()) {
                continue;
            }
            Flip restore = i + 1 < flips.size() ? flips.get(i + 1) : null;
            Observation down = first(cut.at(), "unavailable");
            Observation back = restore == null ? null : first(restore.at(), "ok");
            int okWhileCut = 0;
            if (down != null && restore != null) {
                for (Observation o : observations) {
                    if (o.collectedAt() > down.collectedAt() && o.collectedAt() < restore.at()
                            && "ok".equals(o.queueStatus())) {
                        okWhileCut++;
                    }
                }
            }
            Long reconnect = null;
            for (long at : accepted) {
                if (restore != null && at >= restore.at() && reconnect == null) {
                    reconnect = at;
                }
            }
            cycles.add(new Cycle(cut.at(), delay(down == null ? null : down.at(), cut.at()),
                    delay(down == null ? null : down.collectedAt(), cut.at()), restore == null ? 0 : restore.at(),
                    restore == null ? Double.NaN : delay(reconnect, restore.at()),
                    restore == null ? Double.NaN : delay(back == null ? null : back.at(), restore.at()),
                    restore == null ? Double.NaN : delay(back == null ? null : back.collectedAt(), restore.at()),
                    okWhileCut));
        }
        double worstCut = cycles.stream().mapToDouble(c -> Double.isNaN(c.cutVisible()) ? 1e9 : c.cutVisible())
                .max().orElse(1e9);
        double worstRestore = cycles.stream().filter(c -> c.restoredAt() > 0)
                .mapToDouble(c -> Double.isNaN(c.restoreVisible()) ? 1e9 : c.restoreVisible()).max().orElse(1e9);
        int okWhileCut = cycles.stream().mapToInt(Cycle::okWhileCut).sum();
        criteria.add(new Criterion("5. flapping broker: `unavailable` while cut", cycles.size() + " cuts; slowest shown "
                + secs(worstCut) + " after the cut; " + okWhileCut + " reads showed `ok` while cut", "each <= "
                + fmt(cutBound, 0) + " s (pollInterval + timeout + maxAge + 2 s), 0 `ok`",
                !cycles.isEmpty() && worstCut <= cutBound && okWhileCut == 0));
        faultLines.add("FAULT| soak: Redis cut through a proxy, " + cycles.size() + " times | queue collector `unavailable`, "
                + "tally_queue_source_connected 0 | detected in " + secs(worstCut) + " or less | recovered in "
                + secs(worstRestore) + " or less");
        double reconnectBound = s.pollInterval() + 1;
        double worstReconnect = cycles.stream().filter(c -> c.restoredAt() > 0)
                .mapToDouble(c -> Double.isNaN(c.reconnected()) ? 1e9 : c.reconnected()).max().orElse(1e9);
        criteria.add(new Criterion("5. flapping broker: back after restore", "Tally reconnected at most "
                + secs(worstReconnect) + " after a restore; `ok` shown at most " + secs(worstRestore)
                + " after (snapshot collected " + secs(cycles.stream().filter(c -> c.restoredAt() > 0)
                .mapToDouble(c -> Double.isNaN(c.restoreSnapshot()) ? 1e9 : c.restoreSnapshot()).max().orElse(1e9))
                + " after)", "reconnected <= " + fmt(reconnectBound, 0) + " s (one poll interval + 1 s), shown <= "
                + fmt(restoreBound, 0) + " s (pollInterval + maxAge + 2 s)",
                !cycles.isEmpty() && worstReconnect <= reconnectBound && worstRestore <= restoreBound));
    }

    private Observation first(long after, String status) {
        for (Observation o : observations) {
            if (o.at() > after && o.collectedAt() > after && status.equals(o.queueStatus())) {
                return o;
            }
        }
        return null;
    }

    private void garbage() {
        long down = window.stream().filter(x -> x.get("publisher_up") == 0).count();
        long up = window.stream().filter(x -> x.get("publisher_up") == 1).count();
        long absent = window.stream().filter(x -> Double.isNaN(x.get("publisher_up"))).count();
        double parse = last.get("publisher_parse_errors") - baseline.get("publisher_parse_errors");
        double other = last.get("publisher_other_errors") - baseline.get("publisher_other_errors");
        double expected = Math.floor(s.durationSeconds() / s.publisherInterval()) - 1;
        String status = last.statuses().getOrDefault(s.publisher(), "absent");
        faultLines.add("FAULT| soak: a publisher answering garbage | tally_publisher_up 0, "
                + "tally_publisher_scrape_errors_total{kind=\"parse\"}, collector `" + status + "` | detected in one scrape "
                + "interval or less (up 0 in " + down + " of " + window.size() + " samples) | recovered in - (garbage throughout)");
        criteria.add(new Criterion("5. garbage publisher: tally_publisher_up 0, scrape errors of kind parse",
                "up 0 in " + down + " samples, 1 in " + up + ", absent from /metrics in " + absent + "; parse errors +"
                        + fmt(parse, 0) + ", other kinds +" + fmt(other, 0) + " (" + garbageServed
                        + " garbage pages served); collector status `" + status + "`",
                "up 0 in every sample, parse >= " + fmt(expected, 0) + ", other 0",
                down == window.size() && parse >= expected && other == 0));
    }

    /** Healthy targets are probed at their rate: over the window, and in every whole minute of it. */
    private void probes() {
        double minutes = (last.at() - baseline.at()) / 60_000.0;
        double made = last.get("checks_healthy") - baseline.get("checks_healthy");
        double expected = s.healthy() * minutes * 60 / s.healthInterval();
        double expectedRate = s.healthy() / s.healthInterval();
        double slowest = Double.POSITIVE_INFINITY;
        for (double[] minute : perMinute(x -> x.get("checks_healthy"))) {
            slowest = Math.min(slowest, minute[1]);
        }
        criteria.add(new Criterion("5. healthy targets keep being probed (tally_target_checks_total)",
                fmt(made, 0) + " probes in " + fmt(minutes, 1) + " min = " + pct(made / expected) + " of "
                        + fmt(expected, 0) + " expected; slowest minute " + fmt(slowest, 0) + "/s of "
                        + fmt(expectedRate, 0) + "/s; healthy at the end " + fmt(last.get("targets_healthy"), 0)
                        + " of " + s.healthy() + "; skipped slots +"
                        + fmt(last.get("probes_skipped") - baseline.get("probes_skipped"), 0)
                        + "; probes running at the end " + fmt(last.get("probes_running"), 0) + " of "
                        + s.concurrency() + "; the health collector `ok` in " + window.stream()
                        .filter(x -> "ok".equals(x.statuses().get("health"))).count() + " of " + window.size()
                        + " samples",
                ">= 90 % of expected, every minute >= 50 % of the rate",
                made >= 0.9 * expected && slowest >= 0.5 * expectedRate));
    }

    /**
     * A counter's rate per whole minute of the window, {minute, per second}. Counters in /metrics move
     * once per snapshot, so rates are taken over minutes, not between neighbouring samples.
     */
    private List<double[]> perMinute(ToDoubleFunction<Sample> counter) {
        List<double[]> out = new ArrayList<>();
        Sample previous = baseline;
        for (long from = start; from < end; from += 60_000) {
            long to = Math.min(end + 1, from + 60_000);
            Sample tail = null;
            for (Sample x : window) {
                if (x.at() >= from && x.at() < to) {
                    tail = x;
                }
            }
            if (tail == null || tail.at() - previous.at() < 30_000) {
                continue;
            }
            out.add(new double[] {(from - start) / 60_000.0 + 1,
                (counter.applyAsDouble(tail) - counter.applyAsDouble(previous)) / ((tail.at() - previous.at()) / 1000.0)});
            previous = tail;
        }
        return out;
    }

    // ---------------------------------------------------------------- rendering

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Tally soak, ").append(Instant.ofEpochMilli(start).toString(), 0, 16).append("Z\n\n");
        out.append("Machine: ").append(s.machine()).append("; JDK ").append(Runtime.version()).append(" (")
                .append(System.getProperty("java.vm.vendor")).append(").\n");
        out.append("Load average (1 min) over the window: ").append(loadSummary())
                .append(". Other engineers' builds share the machine, so timings are noisy.\n\n");
        out.append(String.format(Locale.ROOT, "Run: Tally with -Xmx%s, %d targets (%d healthy, %d stalling: `200`, `Content-Length: 100`, "
                        + "then silence), for %d s after a warm-up of at least %d s; health interval %.0f s, timeout %.0f s, "
                        + "concurrency %d, unhealthyAfter %d; collection deadline %.0f ms, maxAge %.0f s; Redis behind a "
                        + "proxy cut and restored every %d s (poll %.0f s); a publisher serving garbage (scraped every "
                        + "%.0f s); wrk on /stats (%d connections) and /metrics (%d connections) throughout.%n%n",
                s.tallyHeap(), s.healthy() + s.stalled(), s.healthy(), s.stalled(), s.durationSeconds(), s.warmupSeconds(),
                s.healthInterval(), s.healthTimeout(), s.concurrency(), s.unhealthyAfter(), s.deadline() * 1000,
                s.maxAge(), s.flapSeconds(), s.pollInterval(), s.publisherInterval(), s.statsConnections(),
                s.metricsConnections()));
        out.append("Start-up: ").append(complete > 0 ? "every target had a status in /stats, and the health collector "
                + "its first collection in time, " + fmt((complete - ready) / 1000.0, 0) + " s after Tally first answered"
                : "not every target had a status before the window").append("; the window began ")
                .append(fmt((start - ready) / 1000.0, 0)).append(" s after Tally first answered.\n\n");
        out.append("## Criteria\n\n| criterion | measured | bound | held |\n| --- | --- | --- | --- |\n");
        for (Criterion c : criteria) {
            out.append("| ").append(c.name()).append(" | ").append(c.figure()).append(" | ").append(c.bound())
                    .append(" | ").append(c.held() ? "yes" : "**NO**").append(" |\n");
        }
        out.append("\nVerdict: ").append(passed() ? "every criterion held." : "some criterion did NOT hold.")
                .append("\n\n");
        if (window.size() >= 3) {
            minutes(out);
            brokerTable(out);
        }
        slowCollections(out);
        wrkTable(out);
        out.append("\n## Virtual threads at the end, by name and first Tally/HTTP-client frame (one thread dump)\n\n");
        out.append("| threads | name @ frame |\n| --- | --- |\n");
        virtualGroups.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(e -> out.append("| ").append(e.getValue()).append(" | `").append(e.getKey().replace("|", "\\|"))
                        .append("` |\n"));
        out.append("\n## FAULT lines\n\n```\n");
        faultLines.forEach(line -> out.append(line).append('\n'));
        out.append("```\n");
        if (!harnessErrors.isEmpty()) {
            out.append("\n## Harness errors\n\n");
            harnessErrors.stream().limit(20).forEach(e -> out.append("- ").append(e).append('\n'));
        }
        return out.toString();
    }

    private void minutes(StringBuilder out) {
        out.append("## Per minute of the window\n\n");
        out.append("| min | max collection (ms, /stats) | overruns | platform threads | virtual threads | heap used max (MB) "
                + "| heap after GC, min (MB) | trend store (MB) | healthy probes/s | stalled unhealthy | stalls held "
                + "| open fds | RSS max (MB) | /stats health score | load 1m |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        Sample previous = baseline;
        for (long from = start; from < end; from += 60_000) {
            long to = Math.min(end + 1, from + 60_000);
            long f = from;
            List<Sample> in = window.stream().filter(x -> x.at() >= f && x.at() < to).toList();
            if (in.isEmpty()) {
                continue;
            }
            double collection = 0;
            for (Observation o : observations) {
                if (o.at() >= from && o.at() < to && o.httpStatus() == 200) {
                    collection = Math.max(collection, o.durationSeconds());
                }
            }
            double afterGc = Double.NaN;
            for (GcLog.Pause p : pauses) {
                if (p.epochMillis() >= from && p.epochMillis() < to) {
                    afterGc = Double.isNaN(afterGc) ? p.afterBytes() : Math.min(afterGc, p.afterBytes());
                }
            }
            Sample tail = in.get(in.size() - 1);
            double seconds = (tail.at() - previous.at()) / 1000.0;
            out.append("| ").append((from - start) / 60_000 + 1)
                    .append(" | ").append(fmt(collection * 1000, 1))
                    .append(" | ").append(fmt(tail.get("overruns") - previous.get("overruns"), 0))
                    .append(" | ").append(fmt(max(in, x -> x.get("threads_platform")), 0))
                    .append(" | ").append(fmt(max(in, x -> x.get("threads_virtual")), 0))
                    .append(" | ").append(fmt(max(in, x -> x.get("heap_used")) / MB, 0))
                    .append(" | ").append(fmt(afterGc / MB, 0))
                    .append(" | ").append(fmt(tail.get("trend_bytes") / MB, 1))
                    .append(" | ").append(fmt((tail.get("checks_healthy") - previous.get("checks_healthy")) / seconds, 0))
                    .append(" | ").append(fmt(tail.get("stalled_unhealthy"), 0))
                    .append(" | ").append(fmt(tail.get("targetserver_stalls_held"), 0))
                    .append(" | ").append(fmt(max(in, x -> x.get("open_fds")), 0))
                    .append(" | ").append(fmt(max(in, x -> x.get("rss")) / MB, 0))
                    .append(" | ").append(fmt(tail.get("health_score"), 1)).append(' ')
                    .append(tail.statuses().getOrDefault("/stats health", ""))
                    .append(" | ").append(fmt(in.stream().mapToDouble(x -> x.get("load1")).average().orElse(Double.NaN), 1))
                    .append(" |\n");
            previous = tail;
        }
        out.append('\n');
    }

    private void brokerTable(StringBuilder out) {
        out.append("## Broker flaps (seconds after the cut / restore; \"snapshot\" is when the snapshot that first showed "
                + "it was collected, \"shown\" when /stats first answered with it)\n\n");
        out.append("| cut at (s into window) | `unavailable` snapshot | shown | restored at | Tally reconnected "
                + "| `ok` snapshot | shown | reads `ok` while cut |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Cycle c : cycles) {
            out.append("| ").append(fmt((c.cutAt() - start) / 1000.0, 0)).append(" | ").append(secs(c.cutSnapshot()))
                    .append(" | ").append(secs(c.cutVisible())).append(" | ")
                    .append(c.restoredAt() == 0 ? "-" : fmt((c.restoredAt() - start) / 1000.0, 0)).append(" | ")
                    .append(secs(c.reconnected())).append(" | ").append(secs(c.restoreSnapshot())).append(" | ")
                    .append(secs(c.restoreVisible())).append(" | ")
                    .append(c.okWhileCut()).append(" |\n");
        }
        out.append('\n');
    }

    /** Collections over the deadline as /stats showed them, beside the GC pauses that overlapped them. */
    private void slowCollections(StringBuilder out) {
        double bound = s.deadline() + 0.010;
        List<GcLog.Pause> inWindow = pauses.stream().filter(p -> p.epochMillis() >= start && p.epochMillis() <= end)
                .toList();
        double longest = inWindow.stream().mapToDouble(GcLog.Pause::millis).max().orElse(0);
        double total = inWindow.stream().mapToDouble(GcLog.Pause::millis).sum();
        out.append("## Slow collections and GC\n\n");
        double collected = 0;
        for (GcLog.Pause p : inWindow) {
            collected += Math.max(0, p.beforeBytes() - p.afterBytes());
        }
        long fullGcs = inWindow.stream().filter(p -> p.kind().startsWith("Pause Full")).count();
        out.append("GC pauses in the window: ").append(inWindow.size()).append(" (").append(fullGcs)
                .append(" full), longest ").append(fmt(longest, 1))
                .append(" ms, ").append(fmt(total, 0)).append(" ms in all; the pauses freed ")
                .append(fmt(collected / MB / ((end - start) / 1000.0), 0))
                .append(" MB/s (about the allocation rate).\n\n");
        out.append("| snapshot collected (s into window) | duration (ms) | slowest collector | GC pauses overlapping it (ms) "
                + "| load 1m |\n| --- | --- | --- | --- | --- |\n");
        long seen = 0;
        int rows = 0;
        for (Observation o : observations) {
            if (o.httpStatus() != 200 || o.durationSeconds() <= bound || o.collectedAt() == seen
                    || o.collectedAt() < start || o.collectedAt() > end) {
                continue;
            }
            seen = o.collectedAt();
            double overlap = 0;
            for (GcLog.Pause p : pauses) {
                // the log stamps a pause at its end; collected_at is when the collection started
                long pauseStart = p.epochMillis() - (long) p.millis();
                long until = o.collectedAt() + (long) (o.durationSeconds() * 1000) + 50;
                if (p.epochMillis() >= o.collectedAt() - 50 && pauseStart <= until) {
                    overlap += p.millis();
                }
            }
            double load = Double.NaN;
            for (Sample x : samples) {
                if (Math.abs(x.at() - o.collectedAt()) <= s.sampleSeconds() * 500L) {
                    load = x.get("load1");
                }
            }
            out.append("| ").append(fmt((o.collectedAt() - start) / 1000.0, 1)).append(" | ")
                    .append(fmt(o.durationSeconds() * 1000, 1)).append(" | ").append(o.slowest()).append(" | ")
                    .append(fmt(overlap, 1)).append(" | ").append(fmt(load, 1)).append(" |\n");
            if (++rows == 30) {
                break;
            }
        }
        out.append('\n');
    }

    private void wrkTable(StringBuilder out) {
        out.append("## wrk\n\n| url | requests | requests/s | p50 | p99 | non-2xx/3xx | socket errors "
                + "(connect/read/write/timeout) |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (WrkResult r : wrk) {
            out.append("| ").append(r.url()).append(" | ").append(r.requests()).append(" | ")
                    .append(fmt(r.perSecond(), 1)).append(" | ").append(r.p50()).append(" | ").append(r.p99())
                    .append(" | ").append(r.non2xx()).append(" | ").append(r.connectErrors()).append('/')
                    .append(r.readErrors()).append('/').append(r.writeErrors()).append('/').append(r.timeouts())
                    .append(" |\n");
        }
    }

    private String loadSummary() {
        double min = Double.POSITIVE_INFINITY;
        double maxLoad = 0;
        double sum = 0;
        int n = 0;
        for (Sample x : window) {
            double load = x.get("load1");
            if (!Double.isNaN(load)) {
                min = Math.min(min, load);
                maxLoad = Math.max(maxLoad, load);
                sum += load;
                n++;
            }
        }
        return n == 0 ? "unknown" : "min " + fmt(min, 1) + ", mean " + fmt(sum / n, 1) + ", max " + fmt(maxLoad, 1);
    }

    private int countObservations() {
        int n = 0;
        for (Observation o : observations) {
            if (o.at() >= start && o.at() <= end && o.httpStatus() == 200) {
                n++;
            }
        }
        return n;
    }

    /** Least-squares slope of a figure over the window, per minute. */
    private double slopePerMinute(ToDoubleFunction<Sample> figure) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Sample x : window) {
            double y = figure.applyAsDouble(x);
            if (Double.isNaN(y)) {
                continue;
            }
            double t = (x.at() - start) / 60_000.0;
            n++;
            sx += t;
            sy += y;
            sxx += t * t;
            sxy += t * y;
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
    }

    private static double max(List<Sample> list, ToDoubleFunction<Sample> figure) {
        double m = Double.NaN;
        for (Sample x : list) {
            m = nanMax(m, figure.applyAsDouble(x));
        }
        return m;
    }

    private static double nanMax(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static double nanZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static double delay(Long at, long since) {
        return at == null ? Double.NaN : (at - since) / 1000.0;
    }

    private static String secs(double seconds) {
        return Double.isNaN(seconds) || seconds >= 1e9 ? "never" : fmt(seconds, 1) + " s";
    }

    private static String pct(double ratio) {
        return fmt(ratio * 100, 1) + " %";
    }

    static String fmt(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
