package io.tally.collectors.workers;

/**
 * Which names the recorder keeps: target names as discovery allows them, and short label-safe
 * words for error types, priorities and results. Checked once, when a name is first seen, never on
 * the hot path of a known name.
 */
public final class WorkerNames {
    private WorkerNames() {
    }

    /** {@code [A-Za-z0-9][A-Za-z0-9_.:-]{0,127}}, the target name rule. */
    public static boolean validTarget(String name) {
        return valid(name, 128);
    }

    /** Error types, priorities and results: the same characters, at most 64 of them. */
    public static boolean validWord(String word) {
        return valid(word, 64);
    }

    private static boolean valid(String s, int max) {
        if (s == null || s.isEmpty() || s.length() > max || !alnum(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!alnum(c) && c != '_' && c != '.' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
