package io.tally.collectors.core.catalog;

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
 * <p>Redaction rules (docs/security.md says why), in order:
 * <ul>
 *   <li>user-info keeps the user name only when a non-empty password follows and the user is a
 *       plain word: {@code amqp://guest:***@host/}; otherwise it is {@code ***} whole (an API key
 *       given as the user, {@code https://sk_live_x:@host});</li>
 *   <li>on known webhook hosts (Slack, Discord, Office 365, Rootly) everything after the first path
 *       segment is {@code ***};</li>
 *   <li>elsewhere the path is kept up to the first segment that is not a short word
 *       ({@link SecretShapes#tokenLike}), which and everything after become {@code ***};</li>
 *   <li>a query value is {@code ***} when its name looks secret (contains token, secret, key,
 *       pass, auth, signature, credential, jwt, session, cookie, bearer, private or sig, after
 *       lower-casing and dropping punctuation, so {@code X-Amz-Signature} and {@code api-key} count;
 *       or is code, state, nonce, otp, hmac, pwd) or when the value itself looks like a token;</li>
 *   <li>the fragment is dropped; an IPv6 host keeps its one pair of brackets.</li>
 * </ul>
 */
public final class RedactedUrl {
    static final String MASK = "***";
    private static final Set<String> WEBHOOK_HOSTS = Set.of("hooks.slack.com", "discord.com", "discordapp.com",
            "webhook.office.com", "outlook.office.com", "webhooks.rootly.com");

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
            out.append(redactUserInfo(userInfo)).append('@');
        }
        // getHost() already brackets an IPv6 literal.
        out.append(uri.getHost());
        if (uri.getPort() >= 0) {
            out.append(':').append(uri.getPort());
        }
        out.append(redactPath(uri.getHost().toLowerCase(Locale.ROOT), uri.getRawPath()));
        if (uri.getRawQuery() != null) {
            out.append('?').append(redactQuery(uri.getRawQuery()));
        }
        return out.toString();
    }

    /**
     * {@code user:password} keeps the user; a user alone, a user with an empty password (an API key
     * given as the user, {@code sk_live_x:}) or a user that looks like a token is hidden whole.
     */
    private static String redactUserInfo(String userInfo) {
        int colon = userInfo.indexOf(':');
        if (colon <= 0 || colon == userInfo.length() - 1) {
            return MASK;
        }
        String user = userInfo.substring(0, colon);
        return SecretShapes.tokenLike(user) ? MASK : user + ":" + MASK;
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
            if ((webhookHost && i > 0) || SecretShapes.tokenLike(segment)) {
                return out.append('/').append(MASK).toString();
            }
            out.append('/').append(segment);
        }
        return out.toString();
    }

    private static String redactQuery(String query) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                out.append(SecretShapes.secretValue(pair) ? MASK : pair);
                continue;
            }
            String name = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            boolean secret = SecretShapes.secretParam(name) || SecretShapes.secretValue(value);
            // A name is shown unless it is itself token-shaped (a key passed as the parameter name).
            out.append(SecretShapes.secretName(name) ? MASK : name).append('=').append(secret ? MASK : value);
        }
        return out.toString();
    }
}
