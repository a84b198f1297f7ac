package io.tally.collectors.publisher.text;

import java.util.List;

/**
 * One sample line: its full name ({@code x_total}, {@code x_bucket}), label names and values in
 * order, and value. Timestamps and exemplars are read past and not kept.
 */
public record ParsedSample(String name, List<String> labelNames, List<String> labelValues, double value) {

    /** The value of a label, or null. */
    public String label(String labelName) {
        for (int i = 0; i < labelNames.size(); i++) {
            if (labelNames.get(i).equals(labelName)) {
                return labelValues.get(i);
            }
        }
        return null;
    }
}
