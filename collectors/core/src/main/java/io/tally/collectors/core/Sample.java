package io.tally.collectors.core;

import java.util.List;

/** One counter or gauge series: its label values, in the descriptor's label order, and its value. */
public record Sample(List<String> labelValues, double value) {
    public Sample {
        labelValues = labelValues instanceof LabelValues ? labelValues : List.copyOf(labelValues);
    }
}
