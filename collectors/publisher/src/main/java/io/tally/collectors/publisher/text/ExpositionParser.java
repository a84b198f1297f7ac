package io.tally.collectors.publisher.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tally's parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0. It reads
 * {@code # HELP}, {@code # TYPE}, {@code # UNIT} and {@code # EOF}, sample lines with escaped label
 * values, optional timestamps and OpenMetrics exemplars ({@code # {...} value [ts]}, read past).
 * One pass over the text, no regular expressions, no backtracking: time is linear in the input,
 * so hostile input cannot make it hang. Bounded as Prometheus bounds a scrape: at most
 * {@code maxSamples} samples, {@code maxLabels} labels on one sample ({@code label_limit}) and
 * {@code maxLineLength} characters on one line. Any problem with the input is an
 * {@link ExpositionParseException} naming the line and, for a limit, the limit; nothing else is
 * thrown for any input (the fuzz test holds it to that).
 */
public final class ExpositionParser {
    /** Labels on one sample; Alertmanager's have three, kube-state-metrics' label families a few dozen. */
    public static final int DEFAULT_MAX_LABELS = 256;
    /** Characters on one line: a long label value fits, a line built to tie up the parser does not. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 1 << 20;
    /** Up to this many labels a list scan finds a duplicate name faster than a hash set. */
    private static final int LINEAR_DUPLICATE_CHECK = 8;
    private static final String[] SUFFIXES = {"_total", "_bucket", "_count", "_sum", "_created", "_info", "_gcount",
        "_gsum"};
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary",
            "untyped", "unknown", "info", "stateset", "gaugehistogram");

    private final int maxSamples;
    private final int maxLabels;
    private final int maxLineLength;

    public ExpositionParser(int maxSamples) {
        this(maxSamples, DEFAULT_MAX_LABELS, DEFAULT_MAX_LINE_LENGTH);
    }

    public ExpositionParser(int maxSamples, int maxLabels, int maxLineLength) {
        if (maxSamples < 1 || maxLabels < 1 || maxLineLength < 1) {
            throw new IllegalArgumentException("parser limits must be positive");
        }
        this.maxSamples = maxSamples;
        this.maxLabels = maxLabels;
        this.maxLineLength = maxLineLength;
    }

    /** Parses a whole exposition; a defect in the parser is not hidden as a parse error. */
    public ParsedExposition parse(String text) throws ExpositionParseException {
        return new Run(text).parse();
    }

    private final class Run {
        private final String text;
        private final Map<String, FamilyBuilder> families = new LinkedHashMap<>();
        private int pos;
        private int line;
        private int samples;

        Run(String text) {
            this.text = text;
        }

        ParsedExposition parse() throws ExpositionParseException {
            int length = text.length();
            while (pos < length) {
                line++;
                int end = text.indexOf('\n', pos);
                if (end < 0) {
                    end = length;
                }
                int lineEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
                if (lineEnd - pos > maxLineLength) {
                    throw error("line of " + (lineEnd - pos) + " characters is over the line length limit of "
                            + maxLineLength);
                }
                if (lineEnd > pos) {
                    if (text.charAt(pos) == '#') {
                        if (comment(pos, lineEnd)) {
                            break;
                        }
                    } else {
                        sample(pos, lineEnd);
                    }
                }
                pos = end + 1;
            }
            Map<String, ParsedFamily> out = new LinkedHashMap<>();
            for (FamilyBuilder b : families.values()) {
                out.put(b.name, new ParsedFamily(b.name, b.type, b.help, b.unit, List.copyOf(b.samples)));
            }
            return new ParsedExposition(out, samples);
        }

        /** Returns true at {@code # EOF}. */
        private boolean comment(int start, int end) throws ExpositionParseException {
            String content = text.substring(start, end);
            if (content.equals("# EOF")) {
                return true;
            }
            String[] keyword = {"# HELP ", "# TYPE ", "# UNIT "};
            for (String k : keyword) {
                if (content.startsWith(k)) {
                    String rest = content.substring(k.length());
                    int space = rest.indexOf(' ');
                    String name = space < 0 ? rest : rest.substring(0, space);
                    String value = space < 0 ? "" : rest.substring(space + 1);
                    requireName(name, "metric name");
                    FamilyBuilder family = families.computeIfAbsent(name, FamilyBuilder::new);
                    switch (k.charAt(2)) {
                        case 'H' -> family.help = unescapeHelp(value);
                        case 'T' -> {
                            if (!TYPES.contains(value)) {
                                throw error("unknown type '" + abbreviate(value) + "'");
                            }
                            if (!family.samples.isEmpty()) {
                                throw error("# TYPE for " + name + " after its samples");
                            }
                            family.type = value.equals("unknown") ? "untyped" : value;
                        }
                        default -> family.unit = value;
                    }
                    return false;
                }
            }
            return false; // any other comment
        }

        private void sample(int start, int end) throws ExpositionParseException {
            int i = start;
            int nameEnd = i;
            while (nameEnd < end && isNameChar(text.charAt(nameEnd), nameEnd == start)) {
                nameEnd++;
            }
            if (nameEnd == start) {
                throw error("expected a metric name");
            }
            String name = text.substring(start, nameEnd);
            i = nameEnd;
            List<String> names = new ArrayList<>(4);
            List<String> values = new ArrayList<>(4);
            if (i < end && text.charAt(i) == '{') {
                i = labels(i + 1, end, names, values, name);
            }
            if (i >= end || (text.charAt(i) != ' ' && text.charAt(i) != '\t')) {
                throw error("expected a space and a value after " + abbreviate(name));
            }
            while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            int valueEnd = i;
            while (valueEnd < end && text.charAt(valueEnd) != ' ' && text.charAt(valueEnd) != '\t') {
                valueEnd++;
            }
            double value = number(text.substring(i, valueEnd));
            i = valueEnd;
            while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            if (i < end && text.charAt(i) != '#') {
                int tsEnd = i;
                while (tsEnd < end && text.charAt(tsEnd) != ' ' && text.charAt(tsEnd) != '\t') {
                    tsEnd++;
                }
                number(text.substring(i, tsEnd));
                i = tsEnd;
                while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                    i++;
                }
            }
            if (i < end && text.charAt(i) != '#') {
                throw error("unexpected text after the value of " + abbreviate(name));
            }
            // An exemplar ("# {...} v [ts]") may follow; it is read past, not kept.
            if (++samples > maxSamples) {
                throw new ExpositionParseException(line, "more than " + maxSamples + " samples", true);
            }
            familyFor(name).samples.add(new ParsedSample(name, List.copyOf(names), List.copyOf(values), value));
        }

        private int labels(int i, int end, List<String> names, List<String> values, String metric)
                throws ExpositionParseException {
            // Names seen so far, once there are too many for a list scan: one check per label, not one per pair.
            Set<String> seen = null;
            while (true) {
                while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                    i++;
                }
                if (i >= end) {
                    throw error("unterminated label set");
                }
                if (text.charAt(i) == '}') {
                    return i + 1;
                }
                int nameStart = i;
                while (i < end && isNameChar(text.charAt(i), i == nameStart) && text.charAt(i) != ':') {
                    i++;
                }
                if (i == nameStart) {
                    throw error("expected a label name");
                }
                String labelName = text.substring(nameStart, i);
                while (i < end && text.charAt(i) == ' ') {
                    i++;
                }
                if (i + 1 >= end || text.charAt(i) != '=' ) {
                    throw error("expected = after label " + abbreviate(labelName));
                }
                i++;
                while (i < end && text.charAt(i) == ' ') {
                    i++;
                }
                if (i >= end || text.charAt(i) != '"') {
                    throw error("expected a quoted value for label " + abbreviate(labelName));
                }
                i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= end) {
                        throw error("unterminated value of label " + abbreviate(labelName));
                    }
                    char c = text.charAt(i);
                    if (c == '"') {
                        i++;
                        break;
                    }
                    if (c == '\\') {
                        if (i + 1 >= end) {
                            throw error("dangling escape in label " + abbreviate(labelName));
                        }
                        char next = text.charAt(i + 1);
                        value.append(next == 'n' ? '\n' : next);
                        i += 2;
                    } else {
                        value.append(c);
                        i++;
                    }
                }
                if (names.size() >= maxLabels) {
                    throw error("sample " + abbreviate(metric) + " is over the label limit of " + maxLabels
                            + " labels per sample");
                }
                boolean duplicate;
                if (seen != null) {
                    duplicate = !seen.add(labelName);
                } else if (names.size() < LINEAR_DUPLICATE_CHECK) {
                    duplicate = names.contains(labelName);
                } else {
                    seen = new HashSet<>(names);
                    duplicate = !seen.add(labelName);
                }
                if (duplicate) {
                    throw error("label " + abbreviate(labelName) + " given twice");
                }
                names.add(labelName);
                values.add(value.toString());
                while (i < end && text.charAt(i) == ' ') {
                    i++;
                }
                if (i < end && text.charAt(i) == ',') {
                    i++;
                } else if (i < end && text.charAt(i) == '}') {
                    return i + 1;
                } else {
                    throw error("expected , or } after label " + abbreviate(labelName));
                }
            }
        }

        private FamilyBuilder familyFor(String sampleName) {
            FamilyBuilder exact = families.get(sampleName);
            if (exact != null) {
                return exact;
            }
            for (String suffix : SUFFIXES) {
                if (sampleName.endsWith(suffix)) {
                    FamilyBuilder base = families.get(sampleName.substring(0, sampleName.length() - suffix.length()));
                    if (base != null) {
                        return base;
                    }
                }
            }
            return families.computeIfAbsent(sampleName, FamilyBuilder::new);
        }

        private double number(String token) throws ExpositionParseException {
            switch (token) {
                case "+Inf", "Inf", "+inf", "inf" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Inf", "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                case "NaN", "nan" -> {
                    return Double.NaN;
                }
                default -> {
                    if (token.isEmpty() || token.length() > 64) {
                        throw error("expected a number, found '" + abbreviate(token) + "'");
                    }
                    for (int k = 0; k < token.length(); k++) {
                        char c = token.charAt(k);
                        boolean ok = (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
                                || c == '_' || c == 'x' || c == 'X' || c == 'p' || c == 'P'
                                || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                        if (!ok) {
                            throw error("expected a number, found '" + abbreviate(token) + "'");
                        }
                    }
                    try {
                        return Double.parseDouble(token.replace("_", ""));
                    } catch (NumberFormatException e) {
                        throw error("expected a number, found '" + abbreviate(token) + "'");
                    }
                }
            }
        }

        private void requireName(String name, String what) throws ExpositionParseException {
            if (name.isEmpty()) {
                throw error("expected a " + what);
            }
            for (int k = 0; k < name.length(); k++) {
                if (!isNameChar(name.charAt(k), k == 0)) {
                    throw error("invalid " + what + " '" + abbreviate(name) + "'");
                }
            }
        }

        private ExpositionParseException error(String message) {
            return new ExpositionParseException(line, message);
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    private static String unescapeHelp(String help) {
        if (help.indexOf('\\') < 0) {
            return help;
        }
        StringBuilder out = new StringBuilder(help.length());
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\' && i + 1 < help.length()) {
                char next = help.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static final class FamilyBuilder {
        final String name;
        String type = "untyped";
        String help = "";
        String unit = "";
        final List<ParsedSample> samples = new ArrayList<>();

        FamilyBuilder(String name) {
            this.name = name;
        }
    }
}
