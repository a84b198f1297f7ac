package io.tally.collectors.core.catalog;

import io.tally.collectors.core.probe.ProbeOverrides;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A place alerts are published to. Immutable; {@link #toString()} and JSON show the URL redacted.
 *
 * @param source the discovery source that found it ({@code static}, {@code file:targets.d/a.yml}, ...)
 */
public record Target(String name, TargetType type, RedactedUrl url, boolean enabled, Map<String, String> labels,
                     String source, ProbeOverrides probe) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    public Target {
        requireValidName(name);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        Objects.requireNonNull(source, "source");
        probe = probe == null ? ProbeOverrides.NONE : probe;
    }

    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid target name '" + (name == null ? "" : abbreviate(name))
                    + "': must match [A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
        }
        return name;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
