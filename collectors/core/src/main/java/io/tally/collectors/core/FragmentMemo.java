package io.tally.collectors.core;

/**
 * The fragment last built from one state, rebuilt only when the state changes. Sources swap
 * immutable state objects, so "changed" is a new object: keys are compared by identity, which
 * costs nothing, never by equality. A state is one object ({@link #get(Object, StateWriter)}) or
 * a pair ({@link #get(Object, Object, Writer)}), e.g. a source's state and the current target set;
 * one memo is used with one of the two. Safe for concurrent use: a race builds the same fragment
 * twice, harmlessly.
 */
public final class FragmentMemo {
    private volatile Entry last;

    /** Writes one state's series and facts; called only when the state is new. */
    @FunctionalInterface
    public interface StateWriter<S> {
        void write(S state, CollectionOutput out);
    }

    /** Writes the series and facts of a state made of two objects; called only when either is new. */
    @FunctionalInterface
    public interface Writer<A, B> {
        void write(A first, B second, CollectionOutput out);
    }

    /**
     * The fragment for {@code state}: the one built last time when it is the same object as then,
     * else a new one from {@code writer} (which must depend only on it).
     */
    public <S> Fragment get(S state, StateWriter<S> writer) {
        Fragment cached = cached(state, null);
        if (cached != null) {
            return cached;
        }
        FragmentBuilder builder = new FragmentBuilder();
        writer.write(state, builder);
        return remember(state, null, builder);
    }

    /**
     * The fragment for the state {@code (first, second)}: the one built last time when both are the
     * same objects as then, else a new one from {@code writer} (which must depend only on them).
     */
    public <A, B> Fragment get(A first, B second, Writer<A, B> writer) {
        Fragment cached = cached(first, second);
        if (cached != null) {
            return cached;
        }
        FragmentBuilder builder = new FragmentBuilder();
        writer.write(first, second, builder);
        return remember(first, second, builder);
    }

    private Fragment cached(Object first, Object second) {
        Entry entry = last;
        return entry != null && entry.first == first && entry.second == second ? entry.fragment : null;
    }

    private Fragment remember(Object first, Object second, FragmentBuilder builder) {
        Fragment built = builder.build();
        last = new Entry(first, second, built);
        return built;
    }

    private record Entry(Object first, Object second, Fragment fragment) {
    }
}
