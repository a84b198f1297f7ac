package io.tally.collectors.core.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What kind of place a target is. */
public enum TargetType {
    WEBHOOK, SLACK, ROOTLY, PAGERDUTY, ALERTMANAGER, GENERIC;

    @JsonValue
    /** Lower-cased once: labels are written for every series. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    @JsonCreator
    public static TargetType parse(String value) {
        for (TargetType type : values()) {
            if (type.label().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown target type '" + value + "' (one of: "
                + Arrays.stream(values()).map(TargetType::label).collect(Collectors.joining(", ")) + ")");
    }
}
