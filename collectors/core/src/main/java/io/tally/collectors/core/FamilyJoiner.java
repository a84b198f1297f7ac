package io.tally.collectors.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the families of many parts into one family per name, series in part order. Parts built
 * from one kind of state list the same families in the same order, so each family is first looked
 * for at the position it had in the previous part; a name lookup is the fallback.
 */
final class FamilyJoiner {
    private final Map<String, List<MetricFamily>> byName = new HashMap<>();
    private final List<List<MetricFamily>> order = new ArrayList<>();
    private List<List<MetricFamily>> previousPart = List.of();

    void addPart(List<MetricFamily> families) {
        List<List<MetricFamily>> thisPart = new ArrayList<>(families.size());
        for (int i = 0; i < families.size(); i++) {
            MetricFamily family = families.get(i);
            List<MetricFamily> same = i < previousPart.size() && previousPart.get(i).get(0).descriptor() == family.descriptor()
                    ? previousPart.get(i) : byName.get(family.name());
            if (same == null) {
                same = new ArrayList<>();
                byName.put(family.name(), same);
                order.add(same);
            } else if (same.get(0).descriptor() != family.descriptor()
                    && !same.get(0).descriptor().sameShape(family.descriptor())) {
                throw new IllegalArgumentException("metric " + family.name() + " written with two shapes");
            }
            same.add(family);
            thisPart.add(same);
        }
        previousPart = thisPart;
    }

    List<MetricFamily> joined() {
        List<MetricFamily> joined = new ArrayList<>(order.size());
        for (List<MetricFamily> same : order) {
            joined.add(same.size() == 1 ? same.get(0) : MetricFamily.concatenation(same));
        }
        return List.copyOf(joined);
    }
}
