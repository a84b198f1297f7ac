package io.tally.collectors.core;

import io.tally.collectors.core.catalog.TargetFact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;

/** Facts from every collector joined by target name. Immutable. */
public final class TargetIndex {
    public static final TargetIndex EMPTY = new TargetIndex(Map.of(), List.of());

    private final Map<String, List<TargetFact>> facts;
    /** The fragments' fact maps this index joined, in order, empty ones left out. */
    private final List<Map<String, List<TargetFact>>> joined;

    private TargetIndex(Map<String, List<TargetFact>> facts, List<Map<String, List<TargetFact>>> joined) {
        this.facts = facts;
        this.joined = joined;
    }

    /**
     * The index of {@code fragments}: {@code previous} itself when it joined the very same fact
     * maps (collectors whose state did not change hand over the same fragments), else a new join.
     */
    static TargetIndex of(List<Fragment> fragments, TargetIndex previous) {
        List<Map<String, List<TargetFact>>> inputs = new ArrayList<>(fragments.size());
        for (Fragment fragment : fragments) {
            if (!fragment.facts().isEmpty()) {
                inputs.add(fragment.facts());
            }
        }
        if (inputs.size() == previous.joined.size()) {
            boolean same = true;
            for (int i = 0; i < inputs.size() && same; i++) {
                same = inputs.get(i) == previous.joined.get(i);
            }
            if (same) {
                return previous;
            }
        }
        return join(inputs, previous);
    }

    /**
     * Joins in a hash map and sorts the names once: a sorted map would compare names log(n) times for
     * every fact of every collector.
     */
    private static TargetIndex join(List<Map<String, List<TargetFact>>> inputs, TargetIndex previous) {
        Map<String, List<TargetFact>> joined = new HashMap<>();
        for (Map<String, List<TargetFact>> input : inputs) {
            for (Map.Entry<String, List<TargetFact>> e : input.entrySet()) {
                List<TargetFact> list = joined.get(e.getKey());
                if (list == null) {
                    joined.put(e.getKey(), new ArrayList<>(e.getValue()));
                } else {
                    list.addAll(e.getValue());
                }
            }
        }
        // The previous index's keys are already in order: reuse them when the names are the same.
        Set<String> previousNames = previous.facts.keySet();
        Collection<String> names = sameNames(joined, previousNames) ? previousNames : sortedNames(joined);
        Map<String, List<TargetFact>> ordered = new LinkedHashMap<>(names.size() * 2);
        for (String name : names) {
            ordered.put(name, Collections.unmodifiableList(joined.get(name)));
        }
        return new TargetIndex(Collections.unmodifiableMap(ordered), List.copyOf(inputs));
    }

    /** Facts change far more often than the set of targets: checking the old order beats sorting again. */
    private static boolean sameNames(Map<String, List<TargetFact>> joined, Set<String> previousOrder) {
        if (joined.size() != previousOrder.size()) {
            return false;
        }
        for (String name : previousOrder) {
            if (!joined.containsKey(name)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> sortedNames(Map<String, List<TargetFact>> joined) {
        String[] names = joined.keySet().toArray(new String[0]);
        Arrays.sort(names);
        return Arrays.asList(names);
    }

    /** Target names in order. */
    public Set<String> targets() {
        return facts.keySet();
    }

    public boolean contains(String target) {
        return facts.containsKey(target);
    }

    public List<TargetFact> facts(String target) {
        return facts.getOrDefault(target, List.of());
    }

    /** The facts of one kind about a target, e.g. all its queue facts. */
    public <T extends TargetFact> List<T> facts(String target, Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (TargetFact fact : facts(target)) {
            if (kind.isInstance(fact)) {
                out.add(kind.cast(fact));
            }
        }
        return out;
    }
}
