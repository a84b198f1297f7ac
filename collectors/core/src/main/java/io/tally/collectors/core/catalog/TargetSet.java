package io.tally.collectors.core.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The current targets by name, in discovery order. Immutable. */
public final class TargetSet {
    public static final TargetSet EMPTY = new TargetSet(List.of(), Instant.EPOCH);

    private final Map<String, Target> byName;
    private final Instant discoveredAt;

    public TargetSet(List<Target> targets, Instant discoveredAt) {
        Map<String, Target> map = new LinkedHashMap<>();
        for (Target target : targets) {
            if (map.putIfAbsent(target.name(), target) != null) {
                throw new IllegalArgumentException("duplicate target name '" + target.name() + "'");
            }
        }
        this.byName = java.util.Collections.unmodifiableMap(map);
        this.discoveredAt = discoveredAt;
    }

    public Collection<Target> targets() {
        return byName.values();
    }

    public Target get(String name) {
        return byName.get(name);
    }

    public int size() {
        return byName.size();
    }

    public Instant discoveredAt() {
        return discoveredAt;
    }
}
