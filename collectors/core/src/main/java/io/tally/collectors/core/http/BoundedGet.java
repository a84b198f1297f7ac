package io.tally.collectors.core.http;

import io.tally.collectors.core.target.RedactedUrl;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A GET that sources use to read a document (an http_sd list, a publisher's metrics): one shared
 * client per source, a timeout, an optional Authorization header, 200 only, a size limit. Failures
 * come out as {@link Failure} with a kind ({@code timeout}, {@code connect}, {@code http_status},
 * {@code too_large}) and a message in which the URL is redacted.
 */
public final class BoundedGet {
    private final HttpClient client;
    private final RedactedUrl url;
    private final String accept;
    private final String userAgent;
    private final String authorization;
    private final long maxBytes;

    public BoundedGet(RedactedUrl url, String accept, String userAgent, String authorization, long maxBytes,
                      Duration connectTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.url = url;
        this.accept = accept;
        this.userAgent = userAgent;
        this.authorization = authorization;
        this.maxBytes = maxBytes;
    }

    /** The body, at most {@code maxBytes}. */
    public byte[] fetch(Duration timeout) throws Failure, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.reveal()).timeout(timeout)
                .header("Accept", accept).header("User-Agent", userAgent);
        if (authorization != null && !authorization.isBlank()) {
            request.header("Authorization", authorization);
        }
        byte[] body;
        try {
            HttpResponse<InputStream> response = client.send(request.GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new Failure("http_status", url + " answered HTTP " + response.statusCode());
                }
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            }
        } catch (HttpTimeoutException e) {
            throw new Failure("timeout", url + " did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new Failure("connect", "cannot reach " + url + " (" + url.scrub(detail) + ")");
        }
        if (body.length > maxBytes) {
            throw new Failure("too_large", url + " sent more than " + maxBytes + " bytes");
        }
        return body;
    }

    public RedactedUrl url() {
        return url;
    }

    /** Why a fetch failed; {@code kind} is a fixed word for metric labels. */
    public static final class Failure extends Exception {
        private final String kind;

        Failure(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public String kind() {
            return kind;
        }
    }
}
