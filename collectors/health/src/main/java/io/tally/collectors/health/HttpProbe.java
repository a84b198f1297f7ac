package io.tally.collectors.health;

import io.tally.collectors.core.target.RedactedUrl;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
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
 * target answered.
 */
final class HttpProbe {
    private static final int MAX_BODY = 1024 * 1024;

    private final HttpClient verifying;
    private final HttpClient insecure;
    private final String userAgent;

    HttpProbe(java.time.Duration connectTimeout, String userAgent) {
        this.verifying = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout).build();
        this.insecure = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout).sslContext(trustingEverything()).build();
        this.userAgent = userAgent;
    }

    ProbeResult probe(RedactedUrl url, ProbeSettings settings) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.reveal()).timeout(settings.timeout())
                .header("User-Agent", userAgent);
        for (Map.Entry<String, String> header : settings.headers().entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        request.method(settings.method(), settings.method().equals("POST")
                ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        HttpClient client = settings.tlsVerify() ? verifying : insecure;
        long start = System.nanoTime();
        try {
            if (settings.bodyMatch() == null) {
                HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
                double latency = (System.nanoTime() - start) / 1e9;
                return judge(response.statusCode(), null, settings, latency, expiry(response.sslSession()));
            }
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
            }
            double latency = (System.nanoTime() - start) / 1e9;
            return judge(response.statusCode(), body, settings, latency, expiry(response.sslSession()));
        } catch (IOException e) {
            double latency = (System.nanoTime() - start) / 1e9;
            return ProbeResult.failed(latency, classify(e), url.scrub(describe(e)), null);
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

    static String classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return "timeout";
            }
            if (t instanceof SSLException) {
                return "tls";
            }
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "dns";
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connect";
            }
        }
        return "connect";
    }

    private static String describe(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null && out.length() < 300; t = t.getCause()) {
            if (!out.isEmpty()) {
                out.append(": ");
            }
            out.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                out.append(' ').append(t.getMessage());
            }
        }
        return out.toString();
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
