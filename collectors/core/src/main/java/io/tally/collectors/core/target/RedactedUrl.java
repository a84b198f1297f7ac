package io.tally.collectors.core.target;

import com.fasterxml.jackson.annotation.JsonValue;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * A target URL that often <em>is</em> a secret (Slack webhook paths, tokens in query strings,
 * user-info). It renders redacted everywhere: {@link #toString()}, JSON, logs, labels. Only the
 * prober calls {@link #reveal()}, to send the request.
 *
 * <p>Redaction rules, in order:
 * <ul>
 *   <li>user-info keeps the user name: {@code amqp://guest:***@host/};</li>
 *   <li>on known webhook hosts (Slack, Discord, Office 365, Rootly) everything after the first path
 *       segment is {@code ***};</li>
 *   <li>elsewhere the path is kept up to the first token-like segment, which and everything after
 *       become {@code ***}: a segment is token-like when it has an upper-case letter, or starts with a
 *       digit, or is longer than 24 characters, or is 8 or more characters with a digit in it;</li>
 *   <li>query parameters whose names look secret ({@code token}, {@code key}, {@code secret},
 *       {@code sig}, {@code signature}, {@code api_key}, {@code access_token}, {@code password},
 *       {@code auth}, {@code code}, or containing {@code token}, {@code secret}, {@code key} or
 *       {@code pass}) keep their name, their value becomes {@code ***};</li>
 *   <li>the fragment is dropped.</li>
 * </ul>
 */
public final class RedactedUrl {
    static final String MASK = "***";
    private static final Set<String> WEBHOOK_HOSTS = Set.of("hooks.slack.com", "discord.com", "discordapp.com",
            "webhook.office.com", "outlook.office.com", "webhooks.rootly.com");
    private static final Set<String> SECRET_PARAMS = Set.of("token", "key", "secret", "sig", "signature", "api_key",
            "apikey", "access_token", "password", "auth", "code");

    private final URI uri;
    private final String redacted;

    private RedactedUrl(URI uri) {
        this.uri = uri;
        this.redacted = redact(uri);
    }

    /**
     * Parses a URL. The error never repeats the input: it may hold the secret it failed to parse.
     */
    public static RedactedUrl parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("url is empty");
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URI (" + e.getReason() + " at index "
                    + e.getIndex() + ")");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("url needs a scheme and a host, like https://host/path or tcp://host:port");
        }
        return new RedactedUrl(uri);
    }

    /** The real URL, for sending requests only; never log or return it. */
    public URI reveal() {
        return uri;
    }

    public String scheme() {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    public String host() {
        return uri.getHost();
    }

    /** The port, or the scheme's default (80, 443), or -1. */
    public int port() {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return switch (scheme()) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

    /** Replaces every occurrence of the raw URL (and its parts that can be secret) in {@code text}. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text.replace(uri.toString(), redacted);
        if (uri.getRawUserInfo() != null) {
            out = out.replace(uri.getRawUserInfo(), MASK);
        }
        if (uri.getRawPath() != null && uri.getRawPath().length() > 1 && !redacted.contains(uri.getRawPath())) {
            out = out.replace(uri.getRawPath(), MASK);
        }
        if (uri.getRawQuery() != null) {
            out = out.replace(uri.getRawQuery(), MASK);
        }
        return out;
    }

    @JsonValue
    @Override
    public String toString() {
        return redacted;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedactedUrl other && uri.equals(other.uri);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    private static String redact(URI uri) {
        StringBuilder out = new StringBuilder();
        out.append(uri.getScheme()).append("://");
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            out.append(colon >= 0 ? userInfo.substring(0, colon) + ":" + MASK : MASK).append('@');
        }
        out.append(uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost());
        if (uri.getPort() >= 0) {
            out.append(':').append(uri.getPort());
        }
        out.append(redactPath(uri.getHost().toLowerCase(Locale.ROOT), uri.getRawPath()));
        if (uri.getRawQuery() != null) {
            out.append('?').append(redactQuery(uri.getRawQuery()));
        }
        return out.toString();
    }

    private static String redactPath(String host, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return path == null ? "" : path;
        }
        boolean webhookHost = WEBHOOK_HOSTS.stream().anyMatch(h -> host.equals(h) || host.endsWith("." + h));
        String[] segments = path.substring(1).split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if ((webhookHost && i > 0) || tokenLike(segment)) {
                return out.append('/').append(MASK).toString();
            }
            out.append('/').append(segment);
        }
        return out.toString();
    }

    static boolean tokenLike(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        boolean digit = false;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (Character.isUpperCase(c)) {
                return true;
            }
            digit |= Character.isDigit(c);
        }
        return Character.isDigit(segment.charAt(0)) || segment.length() > 24 || (segment.length() >= 8 && digit)
                || segment.contains("%");
    }

    private static String redactQuery(String query) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq >= 0 && secretParam(name)) {
                out.append(name).append('=').append(MASK);
            } else {
                out.append(pair);
            }
        }
        return out.toString();
    }

    private static boolean secretParam(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SECRET_PARAMS.contains(n) || n.contains("token") || n.contains("secret") || n.contains("key")
                || n.contains("pass");
    }
}
