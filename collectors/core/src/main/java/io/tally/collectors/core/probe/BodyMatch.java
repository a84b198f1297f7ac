package io.tally.collectors.core.probe;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A probe's body match: a regular expression compiled once, with RE2/J, whose matching time is
 * linear in the body whatever the pattern. {@code java.util.regex} backtracks: a pattern like
 * {@code (a+)+$} from a target file against a long body would hold a probe thread for minutes.
 * RE2 syntax has no backreferences or lookaround; a pattern that uses them is refused.
 */
public final class BodyMatch {
    public static final int MAX_LENGTH = 1024;

    private final String regex;
    private final Pattern pattern;

    private BodyMatch(String regex, Pattern pattern) {
        this.regex = regex;
        this.pattern = pattern;
    }

    /** The compiled match, or IllegalArgumentException saying why the pattern cannot be one. */
    public static BodyMatch compile(String regex) {
        if (regex == null || regex.isEmpty()) {
            throw new IllegalArgumentException("bodyMatch is empty");
        }
        if (regex.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("bodyMatch is longer than " + MAX_LENGTH + " characters");
        }
        try {
            return new BodyMatch(regex, Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bodyMatch is not an RE2 regular expression: " + e.getDescription());
        }
    }

    /** True when the body contains a match. */
    public boolean foundIn(CharSequence body) {
        return pattern.matcher(body).find();
    }

    public String regex() {
        return regex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BodyMatch other && regex.equals(other.regex);
    }

    @Override
    public int hashCode() {
        return regex.hashCode();
    }

    @Override
    public String toString() {
        return "/" + regex + "/";
    }
}
