package io.tally.collectors.publisher;

import com.codahale.metrics.Clock;
import io.dropwizard.lifecycle.Managed;
import io.tally.collectors.core.Poller;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.http.BoundedGet;
import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;
import io.tally.collectors.core.workers.WindowedIncrease;
import io.tally.collectors.core.workers.WorkerFact;
import io.tally.collectors.publisher.text.ExpositionParseException;
import io.tally.collectors.publisher.text.ExpositionParser;
import io.tally.collectors.publisher.text.ParsedExposition;
import io.tally.collectors.publisher.text.ParsedFamily;
import io.tally.collectors.publisher.text.ParsedSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Scrapes a publisher's Prometheus endpoint on a schedule, parses it with Tally's parser, and maps
 * its families to per-target publishing figures by the rules: totals corrected for counter resets,
 * rates from successive scrapes, latency histograms summed per target.
 */
public final class PublisherSource implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherSource.class);
    static final String ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final String name;
    private final RedactedUrl url;
    private final PublisherRules rules;
    private final Map<String, String> targetMap;
    private final List<PathMatcher> passthrough;
    private final Duration timeout;
    private final ExpositionParser parser;
    private final Clock clock;
    private final BoundedGet get;
    private final Poller poller;
    private final CounterTracker counters = new CounterTracker();
    private final WindowedIncrease dlqGrowth = new WindowedIncrease(WorkerFact.DLQ_WINDOW_SECONDS * 1_000_000_000L);
    private final Map<String, double[]> previous = new HashMap<>(); // target -> {tick, attempts, failures}
    private final Map<String, Long> scrapeErrors = new LinkedHashMap<>();
    private volatile PublisherState state = PublisherState.NOT_SCRAPED;

    PublisherSource(PublisherSettings settings, Clock clock, ScheduledExecutorService scheduler) {
        this.name = settings.name();
        this.url = settings.url();
        this.rules = settings.rules();
        this.targetMap = settings.targetMap();
        this.passthrough = settings.passthrough().stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        this.timeout = settings.poll().timeout();
        this.parser = new ExpositionParser(settings.maxSamples());
        this.clock = clock;
        this.get = new BoundedGet(url, ACCEPT, "tally-publisher", settings.authorization(), settings.maxBytes());
        this.poller = new Poller("tally-publisher-" + name, settings.poll(), clock, scheduler, this::scrape);
    }

    public String name() {
        return name;
    }

    public PublisherState state() {
        return state;
    }

    /**
     * Scrapes once before returning, so the first snapshot has figures (or says why not). The scrape's
     * whole exchange, body included, is under one deadline of {@code timeout}: a publisher that
     * stalls holds start-up for that long at most and is then {@code up 0} with kind {@code timeout}.
     */
    @Override
    public void start() {
        scrapeIfIdle();
        poller.start();
    }

    @Override
    public void stop() {
        poller.stop();
    }

    /** One scrape now, on the caller's thread; skipped when one is already running. */
    public void scrapeIfIdle() {
        poller.runIfIdle();
    }

    private void scrape() throws InterruptedException {
        long start = clock.getTick();
        Instant now = Instant.ofEpochMilli(clock.getTime());
        String text;
        try {
            text = fetch();
        } catch (ScrapeException e) {
            fail(e.kind, e.getMessage(), start, now);
            return;
        }
        ParsedExposition exposition;
        try {
            exposition = parser.parse(text);
        } catch (ExpositionParseException e) {
            // The kind comes from what the parser refused, never from the text it quotes.
            fail(e.overSampleLimit() ? "too_many_samples" : "parse", e.getMessage(), start, now);
            return;
        }
        Set<String> seen = new HashSet<>();
        List<TargetPublishing> targets = extract(exposition, clock.getTick(), seen);
        Map<String, Double> pool = new TreeMap<>();
        List<TargetWorkers> workers = extractWorkers(exposition, seen, pool);
        counters.retain(seen);
        List<ParsedFamily> passed = new ArrayList<>();
        for (ParsedFamily family : exposition.all()) {
            for (PathMatcher matcher : passthrough) {
                if (matcher.matches(Path.of(family.name()))) {
                    passed.add(family);
                    break;
                }
            }
        }
        state = new PublisherState(true, true, now, Duration.ofNanos(clock.getTick() - start),
                exposition.sampleCount(), null, scrapeErrors, targets, passed, workers, pool);
    }

    private void fail(String kind, String message, long start, Instant now) {
        scrapeErrors.merge(kind, 1L, Long::sum);
        if (state.up() || !state.scraped()) {
            LOG.warn("Publisher {} scrape of {} failed: {}", name, url, message);
        }
        PublisherState last = state;
        // Keep the last figures (they are totals); mark the publisher down with why.
        state = new PublisherState(true, false, now, Duration.ofNanos(clock.getTick() - start), 0,
                kind + ": " + message, scrapeErrors, last.targets(), last.passthrough(), last.workers(), last.pool());
    }

    private String fetch() throws ScrapeException, InterruptedException {
        try {
            return new String(get.fetch(timeout), StandardCharsets.UTF_8);
        } catch (BoundedGet.Failure e) {
            throw new ScrapeException(e.kind(), e.getMessage());
        }
    }

    List<TargetPublishing> extract(ParsedExposition exposition, long tick) {
        Set<String> seen = new HashSet<>();
        List<TargetPublishing> out = extract(exposition, tick, seen);
        counters.retain(seen);
        return out;
    }

    /** The figures of the worker roles, per target; the pool by state goes into {@code pool}. */
    private List<TargetWorkers> extractWorkers(ParsedExposition exposition, Set<String> seen, Map<String, Double> pool) {
        Map<String, WorkerAcc> byTarget = new TreeMap<>();
        workerCounter(exposition, rules.jobsProcessed(), seen, byTarget, (acc, s, v) -> {
            JobOutcome outcome = JobOutcome.fromForeign(s.label(rules.outcomeLabel()));
            if (outcome != null) {
                acc.jobs.merge(outcome.label(), v, Double::sum);
            }
        });
        workerCounter(exposition, rules.retries(), seen, byTarget,
                (acc, s, v) -> acc.retries.merge(word(s.label(rules.errorTypeLabel())), v, Double::sum));
        workerCounter(exposition, rules.dlqWrites(), seen, byTarget,
                (acc, s, v) -> acc.dlqWrites.merge(word(s.label(rules.errorTypeLabel())), v, Double::sum));
        workerCounter(exposition, rules.dlqReplays(), seen, byTarget, (acc, s, v) -> {
            String result = s.label(rules.resultLabel());
            String known = result == null ? null : switch (result.toLowerCase(java.util.Locale.ROOT)) {
                case "success", "succeeded", "ok" -> "success";
                case "failed", "failure", "error" -> "failed";
                default -> null;
            };
            if (known != null) {
                acc.dlqReplays.merge(known, v, Double::sum);
            }
        });
        for (ParsedSample sample : samples(exposition, rules.breakerState())) {
            String target = targetOf(sample);
            if (target == null) {
                continue;
            }
            String stateText = sample.label(rules.stateLabel());
            BreakerState state = stateText != null ? (sample.value() == 1 ? BreakerState.fromForeign(stateText) : null)
                    : BreakerState.fromNumber(sample.value());
            WorkerAcc acc = byTarget.computeIfAbsent(target, t -> new WorkerAcc());
            if (state != null && (acc.breaker == null || state.ordinal() > acc.breaker.ordinal())) {
                acc.breaker = state;
            }
        }
        for (ParsedSample sample : samples(exposition, rules.workers())) {
            String state = sample.label(rules.stateLabel());
            String known = state == null ? null : switch (state.toLowerCase(java.util.Locale.ROOT)) {
                case "active", "busy", "working" -> "active";
                case "idle", "free" -> "idle";
                default -> null;
            };
            if (known != null && Double.isFinite(sample.value())) {
                pool.merge(known, sample.value(), Double::sum);
            }
        }
        List<TargetWorkers> out = new ArrayList<>(byTarget.size());
        long tick = clock.getTick();
        byTarget.forEach((target, acc) -> {
            double dlq = acc.dlqWrites.values().stream().mapToDouble(Double::doubleValue).sum();
            out.add(new TargetWorkers(target, acc.jobs, acc.retries, acc.breaker == null ? null : acc.breaker.label(),
                    acc.dlqWrites, acc.dlqReplays, dlqGrowth.observe(target, tick, dlq)));
        });
        dlqGrowth.retain(byTarget.keySet());
        return out;
    }

    /** An error type as a label value: the notifier's word when it has one, else unspecified. */
    private static String word(String value) {
        return value == null || value.isEmpty() ? "unspecified" : value;
    }

    private interface WorkerAdder {
        void add(WorkerAcc acc, ParsedSample sample, double value);
    }

    private void workerCounter(ParsedExposition exposition, String familyName, Set<String> seen,
                               Map<String, WorkerAcc> byTarget, WorkerAdder adder) {
        for (ParsedSample sample : samples(exposition, familyName)) {
            if (sample.name().endsWith("_created")) {
                continue;
            }
            String target = targetOf(sample);
            if (target == null) {
                continue;
            }
            String key = sample.name() + sample.labelNames() + sample.labelValues();
            seen.add(key);
            adder.add(byTarget.computeIfAbsent(target, t -> new WorkerAcc()), sample, counters.adjusted(key, sample.value()));
        }
    }

    private static final class WorkerAcc {
        final Map<String, Double> jobs = new TreeMap<>();
        final Map<String, Double> retries = new TreeMap<>();
        final Map<String, Double> dlqWrites = new TreeMap<>();
        final Map<String, Double> dlqReplays = new TreeMap<>();
        BreakerState breaker;
    }

    private List<TargetPublishing> extract(ParsedExposition exposition, long tick, Set<String> seen) {
        Map<String, Acc> byTarget = new TreeMap<>();
        counter(exposition, rules.attempts(), seen, (acc, s, v) -> acc.attempts += v, byTarget);
        counter(exposition, rules.failures(), seen, (acc, s, v) -> {
            acc.failures += v;
            String reason = rules.reasonLabel() == null ? null : s.label(rules.reasonLabel());
            acc.reasons.merge(reason == null || reason.isEmpty() ? "unspecified" : reason, v, Double::sum);
        }, byTarget);
        counter(exposition, rules.requests(), seen, (acc, s, v) -> acc.requests = (acc.requests == null ? 0 : acc.requests) + v,
                byTarget);
        counter(exposition, rules.requestsFailed(), seen,
                (acc, s, v) -> acc.requestsFailed = (acc.requestsFailed == null ? 0 : acc.requestsFailed) + v, byTarget);
        histogram(exposition, rules.latency(), byTarget);

        List<TargetPublishing> out = new ArrayList<>(byTarget.size());
        for (Map.Entry<String, Acc> e : byTarget.entrySet()) {
            Acc acc = e.getValue();
            double[] prev = previous.get(e.getKey());
            Double attemptRate = null;
            Double failureRate = null;
            if (prev != null && tick > prev[0]) {
                double seconds = (tick - prev[0]) / 1e9;
                attemptRate = Math.max(0, (acc.attempts - prev[1]) / seconds);
                failureRate = Math.max(0, (acc.failures - prev[2]) / seconds);
            }
            previous.put(e.getKey(), new double[] {tick, acc.attempts, acc.failures});
            double[] bounds = new double[acc.buckets.size() - (acc.buckets.containsKey(Double.POSITIVE_INFINITY) ? 1 : 0)];
            long[] counts = new long[acc.buckets.isEmpty() ? 0 : bounds.length + 1];
            int i = 0;
            for (Map.Entry<Double, Long> b : acc.buckets.entrySet()) {
                if (i < bounds.length) {
                    bounds[i] = b.getKey();
                }
                if (i < counts.length) {
                    counts[i] = b.getValue();
                }
                i++;
            }
            if (counts.length > 0 && !acc.buckets.containsKey(Double.POSITIVE_INFINITY)) {
                counts[counts.length - 1] = counts[counts.length - 2];
            }
            out.add(new TargetPublishing(e.getKey(), acc.attempts, acc.failures, acc.reasons, acc.requests,
                    acc.requestsFailed, attemptRate, failureRate, bounds, counts, acc.latencySum));
        }
        previous.keySet().retainAll(byTarget.keySet());
        return out;
    }

    /** The samples of a family the rules name; none when the rules name none or the publisher lacks it. */
    private static List<ParsedSample> samples(ParsedExposition exposition, String familyName) {
        ParsedFamily family = familyName == null ? null : exposition.family(familyName);
        return family == null ? List.of() : family.samples();
    }

    private interface Adder {
        void add(Acc acc, ParsedSample sample, double value);
    }

    private void counter(ParsedExposition exposition, String familyName, Set<String> seen, Adder adder,
                         Map<String, Acc> byTarget) {
        for (ParsedSample sample : samples(exposition, familyName)) {
            if (sample.name().endsWith("_created")) {
                continue;
            }
            String target = targetOf(sample);
            if (target == null) {
                continue;
            }
            String key = sample.name() + sample.labelNames() + sample.labelValues();
            seen.add(key);
            double value = counters.adjusted(key, sample.value());
            adder.add(byTarget.computeIfAbsent(target, t -> new Acc()), sample, value);
        }
    }

    private void histogram(ParsedExposition exposition, String familyName, Map<String, Acc> byTarget) {
        for (ParsedSample sample : samples(exposition, familyName)) {
            String target = targetOf(sample);
            if (target == null) {
                continue;
            }
            Acc acc = byTarget.computeIfAbsent(target, t -> new Acc());
            if (sample.name().endsWith("_bucket")) {
                String le = sample.label("le");
                if (le == null) {
                    continue;
                }
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : parseOrNaN(le);
                if (!Double.isNaN(bound)) {
                    acc.buckets.merge(bound, (long) sample.value(), Long::sum);
                }
            } else if (sample.name().endsWith("_sum")) {
                acc.latencySum += sample.value();
            }
        }
    }

    private String targetOf(ParsedSample sample) {
        for (String label : rules.targetLabels()) {
            String value = sample.label(label);
            if (value != null && !value.isEmpty()) {
                return targetMap.getOrDefault(value, value);
            }
        }
        return null;
    }

    private static double parseOrNaN(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static final class Acc {
        double attempts;
        double failures;
        Double requests;
        Double requestsFailed;
        final Map<String, Double> reasons = new TreeMap<>();
        final TreeMap<Double, Long> buckets = new TreeMap<>();
        double latencySum;
    }

    private static final class ScrapeException extends Exception {
        final String kind;

        ScrapeException(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }
}
