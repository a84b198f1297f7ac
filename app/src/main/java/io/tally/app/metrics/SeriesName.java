package io.tally.app.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * A labelled series name and its one encoding into a Dropwizard metric name:
 * {@code family{label="value",...}}, values escaped as in the Prometheus text format. Dropwizard
 * names carry no labels, so this is how labels survive the trip through the
 * {@code MetricRegistry}. Both directions are hand-written scanners: no regular expressions on
 * the publishing path.
 */
public record SeriesName(String family, List<String> labelNames, List<String> labelValues) {

    public SeriesName {
        labelNames = List.copyOf(labelNames);
        labelValues = List.copyOf(labelValues);
        if (labelNames.size() != labelValues.size()) {
            throw new IllegalArgumentException("label names and values differ in number");
        }
    }

    /** The Dropwizard metric name of a series. */
    public static String encode(String family, List<String> labelNames, List<String> labelValues) {
        if (labelNames.isEmpty()) {
            return family;
        }
        StringBuilder out = new StringBuilder(family.length() + 16 * labelNames.size());
        out.append(family).append('{');
        for (int i = 0; i < labelNames.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(labelNames.get(i)).append("=\"");
            escapeLabelValue(labelValues.get(i), out);
            out.append('"');
        }
        return out.append('}').toString();
    }

    /** The inverse of {@link #encode}; throws {@link IllegalArgumentException} on a name it did not make. */
    public static SeriesName decode(String encoded) {
        int brace = encoded.indexOf('{');
        if (brace < 0) {
            return new SeriesName(encoded, List.of(), List.of());
        }
        if (!encoded.endsWith("}")) {
            throw new IllegalArgumentException("not an encoded series name: " + encoded);
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        int i = brace + 1;
        int end = encoded.length() - 1;
        while (i < end) {
            int eq = encoded.indexOf("=\"", i);
            if (eq < 0) {
                throw new IllegalArgumentException("not an encoded series name: " + encoded);
            }
            names.add(encoded.substring(i, eq));
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < end && encoded.charAt(j) != '"'; j++) {
                char c = encoded.charAt(j);
                if (c == '\\' && j + 1 < end) {
                    char next = encoded.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            if (j >= end) {
                throw new IllegalArgumentException("unterminated label value in: " + encoded);
            }
            values.add(value.toString());
            i = j + 1;
            if (i < end && encoded.charAt(i) == ',') {
                i++;
            }
        }
        return new SeriesName(encoded.substring(0, brace), names, values);
    }

    /** Escapes a label value for the Prometheus text formats and for {@link #encode}. */
    public static void escapeLabelValue(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
