package io.tally.collectors.publisher.text;

import java.util.Collection;
import java.util.Map;

/** A parsed exposition: families by name, and how many samples it held. */
public record ParsedExposition(Map<String, ParsedFamily> families, int sampleCount) {

    /** The family named {@code name}, also when it was exposed as {@code name_total} or without {@code _total}. */
    public ParsedFamily family(String name) {
        ParsedFamily family = families.get(name);
        if (family == null && name.endsWith("_total")) {
            family = families.get(name.substring(0, name.length() - "_total".length()));
        }
        if (family == null) {
            family = families.get(name + "_total");
        }
        return family;
    }

    public Collection<ParsedFamily> all() {
        return families.values();
    }
}
