package io.tally.collectors.core.probe;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What probe settings may be, wherever they come from: a discovered entry's {@code probe:} block
 * ({@link ProbeOverrides} refuses anything else) and the health prober's own defaults. One rule, so
 * that a setting discovery accepts is one the prober can send: {@code java.net.http} throws on a
 * zero timeout and on restricted or malformed headers, and a probe that throws before it is sent
 * never gives the target a status.
 */
public final class ProbeLimits {
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    /** Longer than any sensible probe interval: a probe that may take this long tells nothing in time. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    public static final int MAX_HEADERS = 32;
    public static final int MAX_HEADER_NAME_LENGTH = 256;
    public static final int MAX_HEADER_VALUE_LENGTH = 8192;

    /**
     * Headers the HTTP client owns: framing, connection management, the target's authority. Setting
     * one would corrupt the exchange or probe another host than the target's URL; {@code java.net.http}
     * refuses the first five outright.
     */
    public static final Set<String> FORBIDDEN_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection", "http2-settings");

    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private ProbeLimits() {
    }

    /** The timeout itself, or IllegalArgumentException saying what is wrong with it. */
    public static Duration requireValidTimeout(Duration timeout) {
        return requireValidTimeout(timeout, timeout == null ? "nothing" : text(timeout));
    }

    /** The same, naming the timeout as the user wrote it ({@code asWritten}, e.g. "0s"). */
    public static Duration requireValidTimeout(Duration timeout, String asWritten) {
        if (timeout == null || timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be between " + text(MIN_TIMEOUT) + " and "
                    + text(MAX_TIMEOUT) + ", not " + asWritten);
        }
        return timeout;
    }

    /**
     * The headers themselves, or IllegalArgumentException naming the first header that is wrong. A
     * header's value is never quoted: it may be a token.
     */
    public static Map<String, String> requireValidHeaders(Map<String, String> headers) {
        if (headers.size() > MAX_HEADERS) {
            throw new IllegalArgumentException("headers: at most " + MAX_HEADERS + ", not " + headers.size());
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (name == null || name.isEmpty() || name.length() > MAX_HEADER_NAME_LENGTH || !isToken(name)) {
                throw new IllegalArgumentException("headers: '" + shown(name) + "' is not a header name (letters,"
                        + " digits and !#$%&'*+-.^_`|~, at most " + MAX_HEADER_NAME_LENGTH + " characters)");
            }
            if (FORBIDDEN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("headers: '" + name + "' cannot be set: the prober's HTTP client"
                        + " owns it");
            }
            String value = header.getValue();
            if (value == null) {
                throw new IllegalArgumentException("headers: '" + name + "' has no value");
            }
            if (value.length() > MAX_HEADER_VALUE_LENGTH || !isFieldValue(value)) {
                throw new IllegalArgumentException("headers: the value of '" + name + "' is not a valid header value"
                        + " (visible characters, spaces and tabs, at most " + MAX_HEADER_VALUE_LENGTH + ")");
            }
        }
        return headers;
    }

    /** RFC 9110 token: what {@code java.net.http} accepts as a header name. */
    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || TCHAR_SYMBOLS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 field-value characters (no CR, LF or other controls): what {@code java.net.http} accepts. */
    private static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String shown(String name) {
        if (name == null) {
            return "";
        }
        String printable = name.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }

    private static String text(Duration d) {
        if (d.isNegative()) {
            return "-" + text(d.negated());
        }
        if (d.getSeconds() >= 86_400) {
            return d.toDays() + "d";  // also keeps toMillis() clear of overflow
        }
        long millis = d.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
