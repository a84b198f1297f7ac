package io.tally.collectors.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Facts from every collector joined by target name. Immutable. */
public final class TargetIndex {
    public static final TargetIndex EMPTY = new TargetIndex(Map.of());

    private final Map<String, List<TargetFact>> facts;

    private TargetIndex(Map<String, List<TargetFact>> facts) {
        this.facts = facts;
    }

    static TargetIndex of(List<Fragment> fragments) {
        Map<String, List<TargetFact>> joined = new TreeMap<>();
        for (Fragment fragment : fragments) {
            fragment.facts().forEach((target, list) ->
                    joined.computeIfAbsent(target, t -> new ArrayList<>()).addAll(list));
        }
        joined.replaceAll((k, v) -> List.copyOf(v));
        return new TargetIndex(Collections.unmodifiableMap(joined));
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
