package io.tally.collectors.publisher;

import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.FragmentMemo;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricNames;
import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.WorkerMetrics;
import io.tally.collectors.publisher.text.ParsedFamily;
import io.tally.collectors.publisher.text.ParsedSample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-target publishing series and facts from the latest scrape, and the publisher's own families
 * passed through under a prefix. Unavailable until the first successful scrape; a publisher that
 * stops answering keeps its last totals, shown with {@code tally_publisher_up 0}. The state changes
 * only when a scrape completes, so its series and facts are built once per scrape.
 */
public final class PublisherCollector implements Collector {
    private final PublisherSource source;
    private final String passthroughPrefix;
    private final Map<String, MetricDescriptor> descriptors = new ConcurrentHashMap<>();
    private final FragmentMemo series = new FragmentMemo();

    public PublisherCollector(PublisherSource source, String passthroughPrefix) {
        this.source = source;
        this.passthroughPrefix = passthroughPrefix;
    }

    @Override
    public String name() {
        return source.name();
    }

    /**
     * Available while the latest scrape succeeded. A publisher that stops answering is
     * {@code unavailable} with the scrape's error as the reason, while its last totals stay served
     * (they are totals: they do not go stale the way a gauge does) next to {@code up 0}: nothing says
     * {@code ok} about a publisher Tally cannot read.
     */
    @Override
    public boolean isAvailable() {
        PublisherState state = source.state();
        return state.scraped() && state.up();
    }

    @Override
    public String unavailableReason() {
        PublisherState state = source.state();
        return state.scraped() ? state.lastError() : "not scraped yet";
    }

    @Override
    public void collect(CollectionContext context, CollectionOutput out) {
        out.include(series.get(source.state(), this::write));
    }

    /** Everything here follows from one scrape's state: built once per scrape. */
    private void write(PublisherState state, CollectionOutput out) {
        String publisher = source.name();
        writeScrape(state, out);
        for (int i = 0; i < state.targets().size(); i++) {
            TargetPublishing t = state.targets().get(i);
            out.counter(PublisherMetrics.ATTEMPTS, t.attempts(), publisher, t.target());
            for (Map.Entry<String, Double> failure : t.failuresByReason().entrySet()) {
                out.counter(PublisherMetrics.FAILURES, failure.getValue(), publisher, t.target(), failure.getKey());
            }
            if (t.requests() != null) {
                out.counter(PublisherMetrics.REQUESTS, t.requests(), publisher, t.target());
            }
            if (t.requestsFailed() != null) {
                out.counter(PublisherMetrics.REQUESTS_FAILED, t.requestsFailed(), publisher, t.target());
            }
            if (t.successRatio() != null) {
                out.gauge(PublisherMetrics.SUCCESS_RATIO, t.successRatio(), publisher, t.target());
            }
            if (t.attemptsPerSecond() != null) {
                out.gauge(PublisherMetrics.ATTEMPT_RATE, t.attemptsPerSecond(), publisher, t.target());
                out.gauge(PublisherMetrics.FAILURE_RATE, t.failuresPerSecond(), publisher, t.target());
            }
            if (t.latencyBounds().length > 0) {
                out.histogram(PublisherMetrics.LATENCY, LatencyBuckets.rebin(t.latencyBounds(), t.latencyCounts()),
                        t.latencySum(), publisher, t.target());
            }
            out.fact(t.target(), t.fact(publisher));
        }
        for (TargetWorkers w : state.workers()) {
            writeWorkers(publisher, w, out);
        }
        state.pool().forEach((poolState, n) -> out.gauge(WorkerMetrics.WORKERS, n, publisher, poolState));
        for (ParsedFamily family : state.passthrough()) {
            passThrough(family, out);
        }
    }

    /** The worker roles' figures under Tally's worker families, {@code source} = this publisher. */
    private static void writeWorkers(String publisher, TargetWorkers w, CollectionOutput out) {
        String t = w.target();
        w.jobsByOutcome().forEach((outcome, n) -> out.counter(WorkerMetrics.JOBS_PROCESSED, n, publisher, t, outcome));
        w.retries().forEach((type, n) -> out.counter(WorkerMetrics.RETRIES, n, publisher, t, type));
        if (w.breakerState() != null) {
            for (BreakerState s : BreakerState.values()) {
                out.gauge(WorkerMetrics.BREAKER_STATE, s.label().equals(w.breakerState()) ? 1 : 0, publisher, t,
                        s.label());
            }
        }
        w.dlqWrites().forEach((type, n) -> out.counter(WorkerMetrics.DLQ_WRITES, n, publisher, t, type));
        w.dlqReplays().forEach((result, n) -> out.counter(WorkerMetrics.DLQ_REPLAYS, n, publisher, t, result));
        out.fact(t, w.fact(publisher));
    }

    @Override
    public void collectUnavailable(CollectionContext context, CollectionOutput out) {
        if (source.state().scraped()) {
            out.include(series.get(source.state(), this::write));
        }
    }

    private void writeScrape(PublisherState state, CollectionOutput out) {
        String publisher = source.name();
        out.gauge(PublisherMetrics.UP, state.up() ? 1 : 0, publisher);
        out.gauge(PublisherMetrics.SCRAPE_DURATION, state.scrapeDuration().toNanos() / 1e9, publisher);
        out.gauge(PublisherMetrics.SCRAPE_SAMPLES, state.samples(), publisher);
        state.scrapeErrors().forEach((kind, n) -> out.counter(PublisherMetrics.SCRAPE_ERRORS, n, publisher, kind));
    }

    /**
     * Re-exports a family of the publisher under the prefix with a {@code publisher} label. Samples
     * whose label names differ from the family's first sample are left out, since a family has one
     * label set here.
     */
    private void passThrough(ParsedFamily family, CollectionOutput out) {
        if (family.samples().isEmpty()) {
            return;
        }
        String base = family.name().endsWith("_total") && family.type().equals("counter")
                ? family.name().substring(0, family.name().length() - "_total".length()) : family.name();
        String name = passthroughPrefix + base;
        ParsedSample first = family.samples().get(0);
        List<String> labels = new ArrayList<>(first.labelNames());
        labels.remove("le");
        if (labels.contains("publisher")) {
            return;
        }
        List<String> labelNames = new ArrayList<>(List.of("publisher"));
        labelNames.addAll(labels);
        try {
            MetricNames.requireMetricName(name);
            switch (family.type()) {
                case "counter" -> {
                    MetricDescriptor d = descriptor(name, "counter", family, labelNames);
                    for (ParsedSample s : family.samples()) {
                        if (s.name().endsWith("_total") && s.labelNames().equals(first.labelNames())) {
                            out.counter(d, s.value(), values(s, labels));
                        }
                    }
                }
                case "gauge" -> {
                    MetricDescriptor d = descriptor(name, "gauge", family, labelNames);
                    for (ParsedSample s : family.samples()) {
                        if (s.labelNames().equals(first.labelNames())) {
                            out.gauge(d, s.value(), values(s, labels));
                        }
                    }
                }
                default -> {
                    // histograms, summaries, untyped: each sample line as a gauge of its own name
                    for (ParsedSample s : family.samples()) {
                        List<String> own = new ArrayList<>(List.of("publisher"));
                        own.addAll(s.labelNames());
                        MetricDescriptor d = descriptor(passthroughPrefix + s.name(), "gauge", family, own);
                        out.gauge(d, s.value(), values(s, s.labelNames()));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // A name or label Tally cannot re-export as is (e.g. a reserved label): left out.
        }
    }

    private MetricDescriptor descriptor(String name, String type, ParsedFamily family, List<String> labels) {
        String key = type + ":" + name + labels;
        return descriptors.computeIfAbsent(key, k -> {
            String help = family.help().isBlank() ? "Passed through from the publisher's " + family.name() + "."
                    : family.help();
            String[] names = labels.toArray(String[]::new);
            return type.equals("counter") ? MetricDescriptor.counter(name, help, "", names)
                    : MetricDescriptor.gauge(name, help, "", names);
        });
    }

    private String[] values(ParsedSample sample, List<String> labels) {
        String[] out = new String[labels.size() + 1];
        out[0] = source.name();
        for (int i = 0; i < labels.size(); i++) {
            out[i + 1] = sample.label(labels.get(i));
        }
        return out;
    }
}
