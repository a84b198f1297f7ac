package io.tally.collectors.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Merges the collectors' fragments into one list of families, one collector at a time. The first
 * collector to declare a family name owns its shape; a later collector that declares the same name
 * with another shape (type, unit, labels or buckets) has only that family left out, and the merge
 * says why, so that one misbehaving collector never empties the snapshot for everyone else. Names
 * the engine or the application write themselves are reserved: no collector may declare them.
 */
final class FamilyMerge {
    private final Predicate<String> reserved;
    private final Map<String, Owned> byName = new HashMap<>();

    FamilyMerge(Predicate<String> reserved) {
        this.reserved = reserved;
    }

    /**
     * Adds one collector's families; returns a line per family left out (empty when none was), each
     * naming the family and the declaration it clashed with.
     */
    List<String> add(String collector, Fragment fragment) {
        List<String> conflicts = List.of();
        for (MetricFamily family : fragment.families()) {
            String conflict = addFamily(collector, family);
            if (conflict != null) {
                if (conflicts.isEmpty()) {
                    conflicts = new ArrayList<>(2);
                }
                conflicts.add(conflict);
            }
        }
        return conflicts;
    }

    /** Adds families that are known not to clash (the engine's own). */
    void addOwn(String owner, Fragment fragment) {
        for (MetricFamily family : fragment.families()) {
            Owned previous = byName.putIfAbsent(family.name(), new Owned(owner, family));
            if (previous != null) {
                throw new IllegalStateException("engine family " + family.name() + " written twice");
            }
        }
    }

    private String addFamily(String collector, MetricFamily family) {
        if (reserved.test(family.name())) {
            return "family " + family.name() + " left out: the name is reserved for Tally's own metrics";
        }
        Owned owned = byName.get(family.name());
        if (owned == null) {
            byName.put(family.name(), new Owned(collector, family));
            return null;
        }
        MetricDescriptor first = owned.family.descriptor();
        if (first != family.descriptor() && !first.sameShape(family.descriptor())) {
            return "family " + family.name() + " left out: declared as " + shape(family.descriptor())
                    + " but collector '" + owned.owner + "' declared it as " + shape(first);
        }
        owned.family = owned.family.mergedWith(family);
        return null;
    }

    /** The merged families, sorted by name. */
    List<MetricFamily> families() {
        List<MetricFamily> out = new ArrayList<>(byName.size());
        for (Owned owned : byName.values()) {
            out.add(owned.family);
        }
        out.sort(Comparator.comparing(MetricFamily::name));
        return out;
    }

    static String shape(MetricDescriptor d) {
        StringBuilder out = new StringBuilder(d.type().exposition()).append(d.labelNames());
        if (!d.unit().isEmpty()) {
            out.append(" unit ").append(d.unit());
        }
        if (d.type() == MetricType.HISTOGRAM) {
            double[] bounds = new double[d.bucketCount()];
            for (int i = 0; i < bounds.length; i++) {
                bounds[i] = d.bucketBound(i);
            }
            out.append(" buckets ").append(Arrays.toString(bounds));
        }
        return out.toString();
    }

    private static final class Owned {
        final String owner;
        MetricFamily family;

        Owned(String owner, MetricFamily family) {
            this.owner = owner;
            this.family = family;
        }
    }
}
