package io.tally.collectors.core;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A read-only list over the label array a collector passed to {@link CollectionOutput}, without
 * copying it: one copy per series is most of what buffering a series costs. The array belongs to
 * the call (a varargs array, or one the collector never changes again).
 */
final class LabelValues extends AbstractList<String> implements RandomAccess {
    private final String[] values;

    LabelValues(String[] values) {
        this.values = values;
    }

    @Override
    public String get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }
}
