package io.tally.collectors.core.catalog;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What looks like a secret in a URL. Redaction errs towards hiding: a word shown as {@code ***}
 * costs a reader little, a token shown costs the user the token. The rules are documented in
 * {@code docs/security.md}.
 */
final class SecretShapes {
    /** Compiled once: every URL redacted (each discovered target, each refresh) runs these per path segment. */
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[-_.]");
    private static final Pattern VERSION_OR_NUMBER = Pattern.compile("v?[0-9]{1,4}");
    /** Query names that are secrets whole (after normalising: lower case, letters and digits only). */
    private static final Set<String> SECRET_NAMES = Set.of("code", "sig", "key", "auth", "pass", "pwd", "otp", "hmac",
            "state", "nonce");
    /** Parts of query names that make them secret: {@code X-Amz-Signature}, {@code api-key}, {@code jwt}... */
    private static final List<String> SECRET_PARTS = List.of("token", "secret", "key", "pass", "auth", "signature",
            "credential", "jwt", "session", "cookie", "bearer", "private", "sig");
    private static final int LONGEST_WORD = 16;

    private SecretShapes() {
    }

    /** True when a query parameter of this (raw) name holds a secret value. */
    static boolean secretParam(String rawName) {
        String n = normalise(rawName);
        if (SECRET_NAMES.contains(n)) {
            return true;
        }
        for (String part : SECRET_PARTS) {
            if (n.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** True when a query parameter's name is itself token-shaped (a key passed as the name). */
    static boolean secretName(String rawName) {
        return !secretParam(rawName) && secretValue(rawName.toLowerCase(Locale.ROOT));
    }

    /** True when a query value, whatever its name, looks like a token: long, or long enough and mixed. */
    static boolean secretValue(String rawValue) {
        String v = decode(rawValue);
        if (v.length() > 24) {
            return true;
        }
        return v.length() >= 12 && !wordLike(v);
    }

    /**
     * True when a path segment may be a token: anything but a short word ({@code hooks},
     * {@code v2}, {@code generic_webhooks}, {@code healthz}) or a small number.
     */
    static boolean tokenLike(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        if (segment.indexOf('%') >= 0 || segment.length() > 32) {
            return true;
        }
        return !wordLike(segment);
    }

    /**
     * Words of lower-case letters joined by {@code - _ .}, each at most 16 letters, pronounceable
     * (a vowel, no five consonants in a row, not all hexadecimal when 8 or longer), or version
     * numbers ({@code v2}) and numbers of at most 4 digits.
     */
    private static boolean wordLike(String text) {
        for (String part : WORD_SEPARATORS.split(text, -1)) {
            if (!partWordLike(part)) {
                return false;
            }
        }
        return true;
    }

    private static boolean partWordLike(String part) {
        if (part.isEmpty() || (part.length() <= 3 && part.chars().allMatch(c -> c >= 'a' && c <= 'z'))) {
            return true;
        }
        if (VERSION_OR_NUMBER.matcher(part).matches()) {
            return true;
        }
        if (part.length() > LONGEST_WORD || !part.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            return false;
        }
        if (part.length() >= 8 && part.chars().allMatch(c -> c <= 'f')) {
            return false;
        }
        int vowels = 0;
        int run = 0;
        for (int i = 0; i < part.length(); i++) {
            if ("aeiouy".indexOf(part.charAt(i)) >= 0) {
                vowels++;
                run = 0;
            } else if (++run >= 5) {
                return false;
            }
        }
        return vowels > 0 && (part.length() < 8 || vowels * 4 >= part.length());
    }

    private static String normalise(String rawName) {
        StringBuilder out = new StringBuilder();
        for (char c : decode(rawName).toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return raw;
        }
    }
}
