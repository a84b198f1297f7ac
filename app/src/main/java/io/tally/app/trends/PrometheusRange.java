package io.tally.app.trends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.http.BoundedExchange;
import io.tally.collectors.core.http.Deadline;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code POST /api/v1/query_range} against a Prometheus-compatible store, each exchange under one
 * {@link Deadline} and a body limit. Every failure (unreachable, slow, refused, an error answer,
 * a body that is no matrix) is an {@link Unavailable} whose message names the store by its redacted
 * URL and never the bearer token.
 */
final class PrometheusRange {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedactedUrl base;
    private final RedactedUrl endpoint;
    private final String authorization;
    private final long maxBodyBytes;
    private final BoundedExchange exchange;

    /** One query's answer: at most one series, its points in time order (NaN and Inf dropped). */
    record Series(long[] times, double[] values) {
        int size() {
            return times.length;
        }

        Double last() {
            return times.length == 0 ? null : values[values.length - 1];
        }
    }

    /** The store could not answer; the message says why, for the trend's reason. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    PrometheusRange(PrometheusBackendConfiguration config) {
        String url = config.url().strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        this.base = RedactedUrl.parse(url);
        this.endpoint = RedactedUrl.parse(url + "/api/v1/query_range");
        this.authorization = config.bearerToken() == null || config.bearerToken().isBlank() ? null
                : "Bearer " + config.bearerToken().strip();
        this.maxBodyBytes = config.maxBodyBytes();
        this.exchange = new BoundedExchange(HttpClient.newBuilder().sslContext(sslContext(config.tls()))
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    String describe() {
        return base.toString();
    }

    Series query(String promql, long startMillis, long endMillis, long stepMillis, Deadline deadline)
            throws Unavailable, InterruptedException {
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + seconds(startMillis) + "&end=" + seconds(endMillis) + "&step=" + seconds(stepMillis)
                + "&timeout=" + seconds(Math.max(1, deadline.remaining().toMillis()));
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("User-Agent", "tally-trends");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        BoundedExchange.Response response;
        try {
            response = exchange.send(endpoint, request, deadline, maxBodyBytes, status -> BoundedExchange.Body.KEEP);
        } catch (BoundedExchange.Failure f) {
            throw new Unavailable("trend store " + base + " unavailable (" + f.kind() + "): " + scrub(f.getMessage()));
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Unavailable("trend store " + base + " answered HTTP " + response.status() + " with no JSON");
        }
        if (body == null || !"success".equals(body.path("status").asText())) {
            String error = body == null ? "" : body.path("error").asText("");
            throw new Unavailable("trend store " + base + " answered HTTP " + response.status()
                    + (error.isEmpty() ? "" : ": " + shortened(scrub(error))));
        }
        JsonNode result = body.path("data").path("result");
        if (!"matrix".equals(body.path("data").path("resultType").asText()) || !result.isArray()) {
            throw new Unavailable("trend store " + base + " answered no matrix");
        }
        if (result.isEmpty()) {
            return new Series(new long[0], new double[0]);
        }
        if (result.size() > 1) {
            throw new Unavailable("trend store " + base + " answered " + result.size() + " series for one figure");
        }
        JsonNode values = result.get(0).path("values");
        long[] t = new long[values.size()];
        double[] v = new double[values.size()];
        int n = 0;
        for (JsonNode pair : values) {
            double value = parse(pair.path(1).asText());
            if (Double.isFinite(value)) {
                t[n] = Math.round(pair.path(0).asDouble() * 1000);
                v[n++] = value;
            }
        }
        return new Series(Arrays.copyOf(t, n), Arrays.copyOf(v, n));
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static SSLContext sslContext(PrometheusBackendConfiguration.TlsSettings tls) {
        try {
            if (tls.insecureSkipVerify()) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustingAnything()}, null);
                return context;
            }
            if (tls.caFile() == null || tls.caFile().isBlank()) {
                return SSLContext.getDefault();
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(tls.caFile()))) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + i++, certificate);
                }
                if (i == 0) {
                    throw new IllegalArgumentException("trends.prometheus.tls.caFile holds no certificate");
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trends.prometheus.tls.caFile cannot be read as PEM certificates: "
                    + e.getMessage(), e);
        }
    }

    /** {@code insecureSkipVerify}: neither the chain nor the host name is checked. */
    private static final class TrustingAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * A store's text without the URL's password or the bearer token: a proxy or store may echo the
     * request's Authorization header into its error.
     */
    private String scrub(String text) {
        String scrubbed = base.scrub(text == null ? "" : text);
        if (authorization != null) {
            String token = authorization.substring("Bearer ".length());
            scrubbed = scrubbed.replace(token, "***");
        }
        return scrubbed;
    }

    /** Cut after scrubbing, so no part of a secret survives at the cut. */
    private static String shortened(String text) {
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
