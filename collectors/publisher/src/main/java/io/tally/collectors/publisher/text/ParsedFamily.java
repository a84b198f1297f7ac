package io.tally.collectors.publisher.text;

import java.util.List;

/**
 * A family as declared by {@code # TYPE} (or {@code untyped} when it was not), with its samples.
 * For a counter declared as {@code x_total} in the 0.0.4 format, {@code name} is {@code x_total};
 * in OpenMetrics it is {@code x}. {@link ParsedExposition#family} finds either way.
 */
public record ParsedFamily(String name, String type, String help, String unit, List<ParsedSample> samples) {
}
