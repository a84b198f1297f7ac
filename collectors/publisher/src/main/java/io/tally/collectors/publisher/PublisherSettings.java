package io.tally.collectors.publisher;

import io.tally.collectors.core.PollSettings;
import io.tally.collectors.core.catalog.RedactedUrl;

import java.util.List;
import java.util.Map;

/**
 * What a {@link PublisherSource} is told by its config: the endpoint and how to read it, the rules
 * that map its families to targets, the bounds on what it may answer, and how to poll it.
 *
 * @param authorization the {@code Authorization} header's value, or null; a secret, left out of {@link #toString()}
 * @param targetMap     label values (an integration, a receiver) to Tally target names
 * @param passthrough   globs of the publisher's own family names to pass through
 * @param maxBytes      the largest body read
 * @param maxSamples    the most samples parsed
 */
public record PublisherSettings(String name, RedactedUrl url, String authorization, PublisherRules rules,
                                Map<String, String> targetMap, List<String> passthrough, long maxBytes,
                                int maxSamples, PollSettings poll) {
    public PublisherSettings {
        targetMap = Map.copyOf(targetMap);
    }

    @Override
    public String toString() {
        return "PublisherSettings[name=" + name + ", url=" + url + ", authorization="
                + (authorization == null ? "none" : "***") + ", rules=" + rules + ", targetMap=" + targetMap
                + ", passthrough=" + passthrough + ", maxBytes=" + maxBytes + ", maxSamples=" + maxSamples
                + ", poll=" + poll + "]";
    }
}
