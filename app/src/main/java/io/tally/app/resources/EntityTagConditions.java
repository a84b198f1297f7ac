package io.tally.app.resources;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code If-Match} and {@code If-None-Match} for a GET or HEAD of a resource that exists, as RFC 9110
 * section 13 evaluates them (If-Match first, with the strong comparison; If-None-Match with the weak
 * one). A field that does not parse as {@code "*" / 1#entity-tag} is ignored, as RFC 9110 has a
 * recipient ignore an If-Modified-Since or If-Unmodified-Since that is not a valid date: a condition
 * that cannot be evaluated is treated as absent, so the worst outcome of a malformed one is a full
 * 200 instead of a 304, and never an error. Jersey's own evaluation throws on such a field (a 500).
 */
public final class EntityTagConditions {
    /** What the conditions decide. */
    public enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    /** A parsed field: {@code *}, or entity tags with their weakness. Null when absent or malformed. */
    record Field(boolean any, List<Tag> tags) {
    }

    record Tag(boolean weak, String opaque) {
    }

    private EntityTagConditions() {
    }

    /**
     * @param current     the resource's entity tag, without quotes, strong
     * @param ifMatch     every {@code If-Match} field line, or null or empty when there is none
     * @param ifNoneMatch every {@code If-None-Match} field line, or null or empty when there is none
     */
    public static Outcome evaluate(String current, List<String> ifMatch, List<String> ifNoneMatch) {
        Field match = parse(ifMatch);
        if (match != null && !match.any() && match.tags().stream().noneMatch(t -> !t.weak() && t.opaque().equals(current))) {
            return Outcome.PRECONDITION_FAILED;
        }
        Field noneMatch = parse(ifNoneMatch);
        if (noneMatch != null && (noneMatch.any() || noneMatch.tags().stream().anyMatch(t -> t.opaque().equals(current)))) {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
    }

    /** The field lines joined as one list (RFC 9110 section 5.3), parsed; null when absent or malformed. */
    static Field parse(List<String> lines) {
        if (lines == null || lines.isEmpty()) {
            return null;
        }
        String value = String.join(",", lines);
        if (value.strip().equals("*")) {
            return new Field(true, List.of());
        }
        List<Tag> tags = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            i = skipOws(value, i);
            if (i < n && value.charAt(i) == ',') {
                i++; // empty list elements are allowed (RFC 9110 section 5.6.1.2)
                continue;
            }
            if (i >= n) {
                break;
            }
            boolean weak = false;
            if (value.startsWith("W/", i)) {
                weak = true;
                i += 2;
            }
            if (i >= n || value.charAt(i) != '"') {
                return null;
            }
            int start = ++i;
            while (i < n && isEtagChar(value.charAt(i))) {
                i++;
            }
            if (i >= n || value.charAt(i) != '"') {
                return null;
            }
            tags.add(new Tag(weak, value.substring(start, i)));
            i = skipOws(value, i + 1);
            if (i < n && value.charAt(i) != ',') {
                return null;
            }
        }
        return tags.isEmpty() ? null : new Field(false, List.copyOf(tags));
    }

    private static int skipOws(String value, int i) {
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** etagc = %x21 / %x23-7E / obs-text. */
    private static boolean isEtagChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
    }
}
