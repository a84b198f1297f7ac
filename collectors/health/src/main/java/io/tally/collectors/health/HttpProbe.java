package io.tally.collectors.health;

import io.tally.collectors.core.http.BoundedExchange;
import io.tally.collectors.core.http.Deadline;
import io.tally.collectors.core.target.RedactedUrl;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP(S) probes over two shared clients: one that verifies certificates and one that does not
 * (for targets with {@code tlsVerify: false}). Redirects are not followed: a 3xx is what the
 * target answered. The whole exchange, body included, runs under the probe's deadline, and the body
 * is read to its end but never past {@code maxBodyBytes}: a body that stalls is a {@code timeout},
 * a larger one a {@code body} failure (as blackbox_exporter's {@code body_size_limit} fails a probe).
 * A body is not read when the status already failed the probe.
 */
final class HttpProbe {
    private final BoundedExchange verifying;
    private final BoundedExchange insecure;
    private final String userAgent;
    private final long maxBodyBytes;

    HttpProbe(String userAgent, long maxBodyBytes) {
        this.verifying = new BoundedExchange(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .build());
        this.insecure = new BoundedExchange(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(trustingEverything()).build());
        this.userAgent = userAgent;
        this.maxBodyBytes = maxBodyBytes;
    }

    ProbeResult probe(RedactedUrl url, ProbeSettings settings, Deadline deadline) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder().header("User-Agent", userAgent);
        for (Map.Entry<String, String> header : settings.headers().entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        request.method(settings.method(), settings.method().equals("POST")
                ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        BoundedExchange client = settings.tlsVerify() ? verifying : insecure;
        try {
            BoundedExchange.Response response = client.send(url, request, deadline, maxBodyBytes,
                    status -> !settings.statusExpected(status) ? BoundedExchange.Body.SKIP
                            : settings.bodyMatch() != null ? BoundedExchange.Body.KEEP : BoundedExchange.Body.DISCARD);
            String body = response.body() == null ? null : new String(response.body(), StandardCharsets.UTF_8);
            return judge(response.status(), body, settings, deadline.elapsedSeconds(), expiry(response.sslSession()));
        } catch (BoundedExchange.Failure e) {
            // Over the size limit is the body's fault; every other kind is a probe error class as it is.
            String errorClass = e.kind().equals("too_large") ? "body" : e.kind();
            return ProbeResult.failed(deadline.elapsedSeconds(), errorClass, e.getMessage(), null);
        }
    }

    private static ProbeResult judge(int status, String body, ProbeSettings settings, double latency, Instant expiry) {
        if (!settings.statusExpected(status)) {
            return ProbeResult.failed(latency, "status", "answered HTTP " + status, expiry);
        }
        if (body != null && !settings.bodyMatch().matcher(body).find()) {
            return ProbeResult.failed(latency, "body", "body does not match /" + settings.bodyMatch().pattern() + "/",
                    expiry);
        }
        return ProbeResult.ok(latency, expiry);
    }

    private static Instant expiry(Optional<javax.net.ssl.SSLSession> session) {
        if (session.isEmpty()) {
            return null;
        }
        try {
            Certificate[] chain = session.get().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
                return x509.getNotAfter().toInstant();
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
        return null;
    }

    /**
     * An extended trust manager that accepts every chain and, being extended, also skips host name
     * checks: that is what {@code tlsVerify: false} asks for.
     */
    private static SSLContext trustingEverything() {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }
}
