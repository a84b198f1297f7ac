package io.tally.collectors.core;

/** The exposition type of a metric family; each maps one-to-one to a Prometheus type. */
public enum MetricType {
    COUNTER("counter"),
    GAUGE("gauge"),
    HISTOGRAM("histogram");

    private final String exposition;

    MetricType(String exposition) {
        this.exposition = exposition;
    }

    /** The word used after {@code # TYPE} in both text formats. */
    public String exposition() {
        return exposition;
    }
}
