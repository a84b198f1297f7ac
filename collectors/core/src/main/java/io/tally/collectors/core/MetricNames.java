package io.tally.collectors.core;

/** The Prometheus rules for metric and label names, checked once when a descriptor is declared. */
public final class MetricNames {
    private MetricNames() {
    }

    public static String requireMetricName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("metric name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                throw new IllegalArgumentException("invalid metric name: " + name);
            }
        }
        return name;
    }

    public static String requireLabelName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("__")) {
            throw new IllegalArgumentException("invalid label name: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                throw new IllegalArgumentException("invalid label name: " + name);
            }
        }
        return name;
    }
}
