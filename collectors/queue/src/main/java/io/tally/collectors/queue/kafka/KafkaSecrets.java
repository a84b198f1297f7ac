package io.tally.collectors.queue.kafka;

import io.tally.collectors.core.catalog.RedactedUrl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The Admin client's properties, and what of them is secret. Credentials come from the URI's
 * user-info ({@code kafka://user:password@host:9092}, SASL PLAIN) or from {@code properties}
 * ({@code sasl.jaas.config}, {@code ssl.*.password}); every text Tally shows from the client
 * passes {@link #scrub}, and the client itself logs its password-typed settings as {@code [hidden]}.
 */
final class KafkaSecrets {
    static final int DEFAULT_PORT = 9092;
    private static final String MASK = "***";
    private static final List<String> SECRET_KEY_PARTS = List.of("password", "jaas", "secret", "token", "credential",
            "key");

    private final RedactedUrl uri;
    private final List<String> values = new ArrayList<>();

    KafkaSecrets(RedactedUrl uri, Map<String, String> properties) {
        this.uri = uri;
        properties.forEach((key, value) -> {
            if (secretKey(key) && value != null && value.length() >= 3) {
                values.add(value);
            }
        });
        String[] user = userInfo(uri);
        if (user != null && user[1].length() >= 3) {
            values.add(user[1]);
        }
        // Longest first: a password inside a JAAS line is replaced with the line.
        values.sort((a, b) -> b.length() - a.length());
    }

    static boolean secretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String part : SECRET_KEY_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    String scrub(String text) {
        String out = uri.scrub(text);
        for (String value : values) {
            out = out.replace(value, MASK);
        }
        return out;
    }

    /**
     * Bootstrap server and client id from Tally, timeouts from the source's timeout (so that the
     * client's own retries stop where the poll's budget does), SASL PLAIN from the URI's user-info
     * unless {@code sasl.jaas.config} is given; then {@code properties}, which win.
     */
    static Properties clientProperties(RedactedUrl uri, String clientId, Map<String, String> properties,
                                       Duration timeout) {
        Properties out = new Properties();
        out.put("bootstrap.servers", uri.host() + ":" + (uri.port() < 0 ? DEFAULT_PORT : uri.port()));
        out.put("client.id", clientId);
        String ms = Long.toString(Math.max(1, timeout.toMillis()));
        out.put("request.timeout.ms", ms);
        out.put("default.api.timeout.ms", ms);
        out.put("socket.connection.setup.timeout.ms", ms);
        out.put("socket.connection.setup.timeout.max.ms", ms);
        out.put("reconnect.backoff.ms", "100");
        out.put("reconnect.backoff.max.ms", "1000");
        out.put("retry.backoff.ms", "100");
        out.put("retry.backoff.max.ms", "1000");
        String[] user = userInfo(uri);
        if (user != null && !properties.containsKey("sasl.jaas.config")) {
            out.put("security.protocol", uri.scheme().equals("kafka+ssl") ? "SASL_SSL" : "SASL_PLAINTEXT");
            out.put("sasl.mechanism", "PLAIN");
            out.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + jaasQuoted(user[0]) + "\" password=\"" + jaasQuoted(user[1]) + "\";");
        } else if (uri.scheme().equals("kafka+ssl")) {
            out.put("security.protocol", "SSL");
        }
        out.putAll(properties);
        return out;
    }

    /** {@code [user, password]} from the URI, decoded, or null when it has none. */
    private static String[] userInfo(RedactedUrl uri) {
        String info = uri.reveal().getUserInfo();
        if (info == null || info.isEmpty()) {
            return null;
        }
        int colon = info.indexOf(':');
        return colon < 0 ? new String[] {info, ""} : new String[] {info.substring(0, colon), info.substring(colon + 1)};
    }

    private static String jaasQuoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
