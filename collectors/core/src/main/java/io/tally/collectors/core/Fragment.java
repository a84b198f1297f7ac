package io.tally.collectors.core;

import io.tally.collectors.core.catalog.TargetFact;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Series and facts, immutable once built: what one collector produced in one collection, or a
 * part that a collector built once from a state and includes by reference in every collection
 * until the state changes (see {@link FragmentMemo}).
 *
 * <p>A fragment remembers the parts it was assembled from, so that the next build from the same
 * parts (compared by identity) reuses the assembled families and facts instead of redoing them.
 */
public final class Fragment {
    private final List<MetricFamily> families;
    private final Map<String, List<TargetFact>> facts;
    final List<Fragment> parts;
    /** The families and facts of {@link #parts} alone. */
    final Assembly fromParts;

    Fragment(List<MetricFamily> families, Map<String, List<TargetFact>> facts, List<Fragment> parts,
             Assembly fromParts) {
        this.families = families;
        this.facts = facts;
        this.parts = parts;
        this.fromParts = fromParts;
    }

    /** True when series or facts were written directly, not only included: then they are not the parts' own. */
    boolean hasDirectWrites() {
        return families != fromParts.families() || facts != fromParts.facts();
    }

    public List<MetricFamily> families() {
        return families;
    }

    /** Facts by target name; unmodifiable. */
    public Map<String, List<TargetFact>> facts() {
        return facts;
    }

    /** Families and facts assembled from a list of parts. */
    record Assembly(List<MetricFamily> families, Map<String, List<TargetFact>> facts) {
        static final Assembly NONE = new Assembly(List.of(), Collections.emptyMap());
    }
}
