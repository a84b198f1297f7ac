package io.tally.benchmarks.soak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The few families the soak reads from a Prometheus text page, parsed independently of Tally's own
 * parser (the soak judges Tally; it should not lean on it). Lines of other families are skipped
 * after reading their name.
 */
final class MetricsText {
    record Series(Map<String, String> labels, double value) {
        String label(String name) {
            return labels.getOrDefault(name, "");
        }
    }

    private final Map<String, List<Series>> families;

    private MetricsText(Map<String, List<Series>> families) {
        this.families = families;
    }

    static MetricsText parse(String text, Set<String> wanted) {
        Map<String, List<Series>> out = new HashMap<>();
        int length = text.length();
        int start = 0;
        while (start < length) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            if (end > start && text.charAt(start) != '#') {
                line(text, start, end, wanted, out);
            }
            start = end + 1;
        }
        return new MetricsText(out);
    }

    private static void line(String text, int start, int end, Set<String> wanted, Map<String, List<Series>> out) {
        int i = start;
        while (i < end && text.charAt(i) != '{' && text.charAt(i) != ' ') {
            i++;
        }
        String name = text.substring(start, i);
        if (!wanted.contains(name)) {
            return;
        }
        Map<String, String> labels = new HashMap<>();
        if (i < end && text.charAt(i) == '{') {
            i++;
            while (i < end && text.charAt(i) != '}') {
                int eq = text.indexOf('=', i);
                String label = text.substring(i, eq).strip();
                int j = eq + 2; // past ="
                StringBuilder value = new StringBuilder();
                while (j < end && text.charAt(j) != '"') {
                    char c = text.charAt(j);
                    if (c == '\\' && j + 1 < end) {
                        char next = text.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (i < end && text.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String rest = text.substring(i, end).strip();
        int space = rest.indexOf(' ');
        String number = space < 0 ? rest : rest.substring(0, space);
        double value = switch (number) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(number);
        };
        out.computeIfAbsent(name, n -> new ArrayList<>()).add(new Series(labels, value));
    }

    List<Series> series(String name) {
        return families.getOrDefault(name, List.of());
    }

    /** The sum over the family's series that match, NaN when none does. */
    double sum(String name, Predicate<Series> filter) {
        double total = 0;
        boolean any = false;
        for (Series series : series(name)) {
            if (filter.test(series)) {
                total += series.value();
                any = true;
            }
        }
        return any ? total : Double.NaN;
    }

    double sum(String name) {
        return sum(name, s -> true);
    }

    /** The value of the one series with this label, NaN when absent. */
    double value(String name, String label, String labelValue) {
        return sum(name, s -> labelValue.equals(s.labels().get(label)));
    }

    /** How many series match. */
    int count(String name, Predicate<Series> filter) {
        int n = 0;
        for (Series series : series(name)) {
            if (filter.test(series)) {
                n++;
            }
        }
        return n;
    }
}
