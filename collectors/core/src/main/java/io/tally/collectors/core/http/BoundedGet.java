package io.tally.collectors.core.http;

import io.tally.collectors.core.catalog.RedactedUrl;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * A GET that sources use to read a document (an http_sd list, a publisher's metrics): one shared
 * client per source, one {@link BoundedExchange} deadline for the whole exchange, an optional
 * Authorization header, 200 only, a size limit enforced while the body streams. Failures come out as
 * {@link Failure} with a kind ({@code timeout}, {@code dns}, {@code connect}, {@code tls},
 * {@code http_status}, {@code too_large}) and a message in which the URL is redacted.
 */
public final class BoundedGet {
    private final BoundedExchange exchange;
    private final RedactedUrl url;
    private final String accept;
    private final String userAgent;
    private final String authorization;
    private final long maxBytes;

    public BoundedGet(RedactedUrl url, String accept, String userAgent, String authorization, long maxBytes) {
        this.exchange = new BoundedExchange(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL).build());
        this.url = url;
        this.accept = accept;
        this.userAgent = userAgent;
        this.authorization = authorization;
        this.maxBytes = maxBytes;
    }

    /** The body, at most {@code maxBytes}, all of it within {@code timeout}. */
    public byte[] fetch(Duration timeout) throws Failure, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder().GET()
                .header("Accept", accept).header("User-Agent", userAgent);
        if (authorization != null && !authorization.isBlank()) {
            request.header("Authorization", authorization);
        }
        BoundedExchange.Response response;
        try {
            // A status other than 200 ends the exchange at the headers: its body is not wanted.
            response = exchange.send(url, request, Deadline.after(timeout), maxBytes,
                    status -> status == 200 ? BoundedExchange.Body.KEEP : BoundedExchange.Body.SKIP);
        } catch (BoundedExchange.Failure e) {
            throw new Failure(e.kind(), switch (e.kind()) {
                case "connect", "tls" -> "cannot reach " + url + " (" + e.getMessage() + ")";
                default -> url + ": " + e.getMessage();
            });
        }
        if (response.status() != 200) {
            throw new Failure("http_status", url + " answered HTTP " + response.status());
        }
        return response.body();
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
