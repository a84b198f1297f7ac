package io.tally.collectors.core;

/**
 * The fragment last built from one state, rebuilt only when the state changes. Sources swap
 * immutable state objects, so "changed" is a new object: keys are compared by identity, which
 * costs nothing, never by equality. Safe for concurrent use: a race builds the same fragment twice,
 * harmlessly.
 */
public final class FragmentMemo {
    private volatile Entry last;

    /** Writes one state's series and facts; called only when the state is new. */
    @FunctionalInterface
    public interface Writer<A, B> {
        void write(A first, B second, CollectionOutput out);
    }

    /**
     * The fragment for the state {@code (first, second)}: the one built last time when both are the
     * same objects as then, else a new one from {@code writer} (which must depend only on them).
     */
    public <A, B> Fragment get(A first, B second, Writer<A, B> writer) {
        Entry entry = last;
        if (entry != null && entry.first == first && entry.second == second) {
            return entry.fragment;
        }
        FragmentBuilder builder = new FragmentBuilder();
        writer.write(first, second, builder);
        Fragment built = builder.build();
        last = new Entry(first, second, built);
        return built;
    }

    private record Entry(Object first, Object second, Fragment fragment) {
    }
}
