package io.tally.collectors.core;

import java.util.List;
import java.util.Map;

/** What one collector produced in one collection: immutable once built. */
public record Fragment(List<MetricFamily> families, Map<String, List<TargetFact>> facts) {
    public static final Fragment EMPTY = new Fragment(List.of(), Map.of());

    public Fragment {
        families = List.copyOf(families);
        facts = Map.copyOf(facts);
    }
}
