package io.tally.collectors.discovery;

/**
 * A target entry that was not accepted, with why. {@code kind} is a short fixed word for metric
 * labels ({@code invalid_name}, {@code invalid_type}, {@code invalid_url}, {@code invalid_probe},
 * {@code duplicate}, {@code malformed}); {@code reason} is the sentence for people. Neither holds
 * the URL.
 *
 * @param entry the entry's name, or its position ("#3") when it has no usable name
 */
public record InvalidEntry(String source, String entry, String kind, String reason) {
}
