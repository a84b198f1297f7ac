package io.tally.collectors.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;

/** Facts from every collector joined by target name. Immutable. */
public final class TargetIndex {
    public static final TargetIndex EMPTY = new TargetIndex(Map.of());

    private final Map<String, List<TargetFact>> facts;

    private TargetIndex(Map<String, List<TargetFact>> facts) {
        this.facts = facts;
    }

    /**
     * Joins in a hash map and sorts the names once: a sorted map would compare names log(n) times for
     * every fact of every collector.
     */
    static TargetIndex of(List<Fragment> fragments) {
        Map<String, List<TargetFact>> joined = new HashMap<>();
        for (Fragment fragment : fragments) {
            for (Map.Entry<String, List<TargetFact>> e : fragment.facts().entrySet()) {
                List<TargetFact> list = joined.get(e.getKey());
                if (list == null) {
                    joined.put(e.getKey(), new ArrayList<>(e.getValue()));
                } else {
                    list.addAll(e.getValue());
                }
            }
        }
        String[] names = joined.keySet().toArray(new String[0]);
        Arrays.sort(names);
        Map<String, List<TargetFact>> ordered = new LinkedHashMap<>(names.length * 2);
        for (String name : names) {
            ordered.put(name, Collections.unmodifiableList(joined.get(name)));
        }
        return new TargetIndex(Collections.unmodifiableMap(ordered));
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
