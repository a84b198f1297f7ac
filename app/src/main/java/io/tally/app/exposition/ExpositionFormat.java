package io.tally.app.exposition;

/** The two text formats {@code /metrics} speaks, chosen from the request's Accept header. */
public enum ExpositionFormat {
    PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
    OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

    private final String contentType;

    ExpositionFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * OpenMetrics when the client prefers it (by q-value, then by order), the 0.0.4 text format
     * otherwise, as Prometheus' own negotiation does.
     */
    public static ExpositionFormat negotiate(String accept) {
        if (accept == null || accept.indexOf("openmetrics") < 0) {
            return PROMETHEUS_TEXT;
        }
        double openMetricsQ = -1;
        double textQ = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(java.util.Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].strip();
                if (param.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (type.equals("application/openmetrics-text")) {
                openMetricsQ = Math.max(openMetricsQ, q);
            } else if (type.equals("text/plain") || type.equals("*/*") || type.equals("text/*")) {
                textQ = Math.max(textQ, q);
            }
        }
        return openMetricsQ > 0 && openMetricsQ >= textQ ? OPENMETRICS : PROMETHEUS_TEXT;
    }
}
