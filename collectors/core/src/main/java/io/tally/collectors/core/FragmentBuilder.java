package io.tally.collectors.core;

import io.tally.collectors.core.catalog.TargetFact;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link CollectionOutput} one collector writes into during one collection. It is used by one
 * thread; {@link #close()} may come from another (the registry, at the deadline), after which
 * every write fails, so a late collector cannot reach a snapshot.
 *
 * <p>Included parts are kept by reference. When the parts are the same objects, in the same order,
 * as those of the {@code previous} fragment, their assembly is reused; when nothing was written
 * directly either, the previous fragment itself is.
 */
final class FragmentBuilder implements CollectionOutput {
    private final Map<String, FamilyBuffer> families = new LinkedHashMap<>();
    private final Map<String, List<TargetFact>> facts = new LinkedHashMap<>();
    private final List<Fragment> parts = new ArrayList<>();
    /** Released once built: the registry keeps a call (and its builder) until the next collection. */
    private Fragment previous;
    /** The family written last: series of one family usually come one after another. */
    private FamilyBuffer last;
    private volatile boolean closed;

    FragmentBuilder() {
        this(null);
    }

    FragmentBuilder(Fragment previous) {
        this.previous = previous;
    }

    @Override
    public void counter(MetricDescriptor descriptor, double value, String... labelValues) {
        buffer(descriptor, MetricType.COUNTER, labelValues).samples.add(new Sample(labels(labelValues), value));
    }

    @Override
    public void gauge(MetricDescriptor descriptor, double value, String... labelValues) {
        buffer(descriptor, MetricType.GAUGE, labelValues).samples.add(new Sample(labels(labelValues), value));
    }

    @Override
    public void histogram(MetricDescriptor descriptor, long[] cumulativeCounts, double sum, String... labelValues) {
        FamilyBuffer buffer = buffer(descriptor, MetricType.HISTOGRAM, labelValues);
        if (cumulativeCounts.length != descriptor.bucketCount() + 1) {
            throw new IllegalArgumentException(descriptor.name() + " expects " + (descriptor.bucketCount() + 1)
                    + " bucket counts, got " + cumulativeCounts.length);
        }
        buffer.histograms.add(new HistogramSample(List.of(labelValues), cumulativeCounts, sum));
    }

    @Override
    public void fact(String target, TargetFact fact) {
        ensureOpen();
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(fact, "fact");
        facts.computeIfAbsent(target, t -> new ArrayList<>()).add(fact);
    }

    @Override
    public void include(Fragment part) {
        ensureOpen();
        parts.add(Objects.requireNonNull(part, "part"));
    }

    /** The caller's array, viewed rather than copied; a null value is refused as List.of would. */
    private static List<String> labels(String[] values) {
        for (String value : values) {
            if (value == null) {
                throw new NullPointerException("label value is null");
            }
        }
        return new LabelValues(values);
    }

    void close() {
        closed = true;
    }

    /** The fragment written so far; refused once the output was closed from outside (the call overran). */
    Fragment build() {
        ensureOpen();
        close();
        try {
            return assembleFragment();
        } finally {
            release();
        }
    }

    /** Drops the buffers and the previous fragment, so that a kept builder holds no series. */
    private void release() {
        previous = null;
        last = null;
        families.clear();
        facts.clear();
        parts.clear();
    }

    private Fragment assembleFragment() {
        boolean sameParts = previous != null && sameAs(previous.parts);
        List<Fragment> keptParts = sameParts ? previous.parts : List.copyOf(parts);
        Fragment.Assembly fromParts = sameParts ? previous.fromParts : assemble(keptParts);
        if (families.isEmpty() && facts.isEmpty()) {
            if (sameParts && !previous.hasDirectWrites()) {
                return previous;
            }
            return new Fragment(fromParts.families(), fromParts.facts(), keptParts, fromParts);
        }
        List<MetricFamily> all = new ArrayList<>(fromParts.families().size() + families.size());
        all.addAll(fromParts.families());
        for (FamilyBuffer b : families.values()) {
            all.add(new MetricFamily(b.descriptor, b.samples, b.histograms));
        }
        // Written families have one name each: only a mix with parts can repeat a name.
        List<MetricFamily> joined = fromParts.families().isEmpty() ? List.copyOf(all) : concatenateByName(all);
        return new Fragment(joined, withDirectFacts(fromParts.facts()), keptParts, fromParts);
    }

    /** The parts' facts plus those written directly; the parts' own map when there are none, so it stays the same object. */
    private Map<String, List<TargetFact>> withDirectFacts(Map<String, List<TargetFact>> fromParts) {
        if (facts.isEmpty()) {
            return fromParts;
        }
        Map<String, List<TargetFact>> all = new HashMap<>(fromParts);
        facts.forEach((target, list) -> all.merge(target, List.copyOf(list), FragmentBuilder::concat));
        return Collections.unmodifiableMap(all);
    }

    private boolean sameAs(List<Fragment> previousParts) {
        if (previousParts.size() != parts.size()) {
            return false;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (previousParts.get(i) != parts.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static Fragment.Assembly assemble(List<Fragment> parts) {
        if (parts.isEmpty()) {
            return Fragment.Assembly.NONE;
        }
        if (parts.size() == 1) {
            return new Fragment.Assembly(parts.get(0).families(), parts.get(0).facts());
        }
        FamilyJoiner joiner = new FamilyJoiner();
        Map<String, List<TargetFact>> facts = new HashMap<>();
        for (Fragment part : parts) {
            joiner.addPart(part.families());
            part.facts().forEach((target, list) -> facts.merge(target, list, FragmentBuilder::concat));
        }
        return new Fragment.Assembly(joiner.joined(), Collections.unmodifiableMap(facts));
    }

    private static List<MetricFamily> concatenateByName(List<MetricFamily> all) {
        FamilyJoiner joiner = new FamilyJoiner();
        joiner.addPart(all);
        return joiner.joined();
    }

    private static List<TargetFact> concat(List<TargetFact> a, List<TargetFact> b) {
        List<TargetFact> both = new ArrayList<>(a.size() + b.size());
        both.addAll(a);
        both.addAll(b);
        return Collections.unmodifiableList(both);
    }

    private FamilyBuffer buffer(MetricDescriptor descriptor, MetricType expected, String[] labelValues) {
        ensureOpen();
        if (descriptor.type() != expected) {
            throw new IllegalArgumentException(descriptor.name() + " is a " + descriptor.type().exposition()
                    + ", not a " + expected.exposition());
        }
        if (labelValues.length != descriptor.labelNames().size()) {
            throw new IllegalArgumentException(descriptor.name() + " expects labels " + descriptor.labelNames()
                    + ", got " + labelValues.length + " values");
        }
        FamilyBuffer buffer = last != null && last.descriptor == descriptor ? last : families.get(descriptor.name());
        if (buffer == null) {
            buffer = new FamilyBuffer(descriptor);
            families.put(descriptor.name(), buffer);
        } else if (buffer.descriptor != descriptor && !buffer.descriptor.sameShape(descriptor)) {
            throw new IllegalArgumentException("metric " + descriptor.name() + " written with two shapes");
        }
        last = buffer;
        return buffer;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("collection output closed: the collection this write belongs to has ended");
        }
    }

    private static final class FamilyBuffer {
        final MetricDescriptor descriptor;
        final List<Sample> samples = new ArrayList<>();
        final List<HistogramSample> histograms = new ArrayList<>();

        FamilyBuffer(MetricDescriptor descriptor) {
            this.descriptor = descriptor;
        }
    }
}
