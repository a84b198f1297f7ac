package io.tally.collectors.discovery;

import io.tally.collectors.core.catalog.TargetFact;

/**
 * A discovered entry that was refused, as a fact under the entry's name (or its position, "#3",
 * when it has no usable name), so that the API can show refusals next to the targets. Neither
 * field holds the entry's URL or header values.
 *
 * @param kind   {@code invalid_name}, {@code invalid_type}, {@code invalid_url}, {@code invalid_probe},
 *               {@code duplicate}, {@code malformed}
 * @param reason the sentence for people
 */
public record InvalidEntryFact(String source, String entry, String kind, String reason) implements TargetFact {
}
