package io.tally.collectors.health;

import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.http.BoundedExchange;
import io.tally.collectors.core.http.Deadline;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP(S) probes over two shared Jetty clients: one that verifies certificates (against the target's
 * name, which also goes out as TLS SNI and in the Host header) and one that does not (for targets
 * with {@code tlsVerify: false}). Jetty rather than {@code java.net.http} because its client lets
 * Tally choose the address it connects to: {@link GuardedResolver} resolves the name once and
 * refuses denied networks on the addresses actually used. Redirects are not followed: a 3xx is what
 * the target answered. Each probe opens its own connection ({@code Connection: close}), as
 * blackbox_exporter does, so a probe measures what a new delivery would meet.
 *
 * <p>The whole exchange, body included, runs under the probe's deadline, and the body is read to its
 * end but never past {@code maxBodyBytes}: a body that stalls is a {@code timeout}, a larger one a
 * {@code body} failure (as blackbox_exporter's {@code body_size_limit} fails a probe). A body is not
 * read when the status already failed the probe.
 */
final class HttpProbe {
    private final HttpClient verifying;
    private final HttpClient insecure;
    private final String userAgent;
    private final long maxBodyBytes;

    HttpProbe(String userAgent, long maxBodyBytes, ProbeNetworks networks) {
        SslContextFactory.Client verify = new SslContextFactory.Client();
        verify.setEndpointIdentificationAlgorithm("HTTPS");
        SslContextFactory.Client trustAll = new SslContextFactory.Client(true);
        trustAll.setEndpointIdentificationAlgorithm(null);
        this.verifying = client(verify, networks);
        this.insecure = client(trustAll, networks);
        this.userAgent = userAgent;
        this.maxBodyBytes = maxBodyBytes;
    }

    private static HttpClient client(SslContextFactory.Client tls, ProbeNetworks networks) {
        HttpClient client = new HttpClient();
        client.setSslContextFactory(tls);
        client.setSocketAddressResolver(new GuardedResolver(networks));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setExecutor(new VirtualThreadPool());
        return client;
    }

    void start() throws Exception {
        verifying.start();
        insecure.start();
    }

    void stop() throws Exception {
        verifying.stop();
        insecure.stop();
    }

    ProbeResult probe(RedactedUrl url, ProbeSettings settings, Deadline deadline) throws InterruptedException {
        long budgetMillis = Math.max(1, deadline.remaining().toMillis());
        URI uri = url.reveal();
        Request request = (settings.tlsVerify() ? verifying : insecure).newRequest(uri)
                .method(settings.method())
                .timeout(budgetMillis, TimeUnit.MILLISECONDS)
                .headers(headers -> {
                    headers.put(HttpHeader.USER_AGENT, userAgent);
                    if (uri.getRawUserInfo() != null) {
                        headers.put(HttpHeader.AUTHORIZATION, basic(uri.getRawUserInfo()));
                    }
                    for (Map.Entry<String, String> header : settings.headers().entrySet()) {
                        headers.put(header.getKey(), header.getValue());
                    }
                    headers.put(HttpHeader.CONNECTION, "close");
                });
        if (settings.method().equals("POST")) {
            request.body(new StringRequestContent("application/json", "{}"));
        }
        Exchange exchange = new Exchange(settings, maxBodyBytes);
        request.send(exchange);
        try {
            Answer answer = exchange.answer.get(budgetMillis + 250, TimeUnit.MILLISECONDS);
            return judge(answer, settings, deadline.elapsedSeconds());
        } catch (TimeoutException e) {
            request.abort(new TimeoutException("no answer within " + deadline.budget().toMillis() + " ms"));
            return ProbeResult.failed(deadline.elapsedSeconds(), "timeout", exchange.timedOut(deadline),
                    exchange.expiry);
        } catch (ExecutionException e) {
            return failed(e.getCause(), url, deadline, exchange);
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        }
    }

    private static ProbeResult judge(Answer answer, ProbeSettings settings, double latency) {
        if (!settings.statusExpected(answer.status)) {
            return ProbeResult.failed(latency, "status", "answered HTTP " + answer.status, answer.expiry);
        }
        if (settings.bodyMatch() != null
                && !settings.bodyMatch().foundIn(new String(answer.body, StandardCharsets.UTF_8))) {
            return ProbeResult.failed(latency, "body", "body does not match " + settings.bodyMatch(), answer.expiry);
        }
        return ProbeResult.ok(latency, answer.expiry);
    }

    private ProbeResult failed(Throwable cause, RedactedUrl url, Deadline deadline, Exchange exchange) {
        double latency = deadline.elapsedSeconds();
        Instant expiry = exchange.expiry;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ProbeNetworks.Denied denied) {
                return ProbeResult.failed(latency, "denied", denied.getMessage(), null);
            }
            if (t instanceof TooLarge) {
                return ProbeResult.failed(latency, "body", exchange.declared > maxBodyBytes
                        ? "body of " + exchange.declared + " bytes is over the limit of " + maxBodyBytes + " bytes"
                        : "body larger than the limit of " + maxBodyBytes + " bytes", expiry);
            }
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return ProbeResult.failed(latency, "timeout", exchange.timedOut(deadline), expiry);
            }
            if (t instanceof java.net.UnknownHostException) {
                return ProbeResult.failed(latency, "dns", "cannot resolve " + url.host(), null);
            }
        }
        String kind = cause instanceof Exception e ? BoundedExchange.kindOf(e) : "connect";
        return ProbeResult.failed(latency, kind, url.scrub(BoundedExchange.describe(cause)), expiry);
    }

    private static String basic(String rawUserInfo) {
        String decoded = URLDecoder.decode(rawUserInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
    }

    /** What came back: the status, the body when it was kept, the certificate's expiry. */
    private record Answer(int status, byte[] body, Instant expiry) {
    }

    /** A body over the limit: the exchange is aborted as soon as the count passes it. */
    private static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /**
     * Follows one exchange: keeps the status and the certificate's expiry at the headers, stops a
     * body the probe does not need (a failed status) and counts the rest against the limit.
     */
    private static final class Exchange implements Response.Listener {
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        private final ProbeSettings settings;
        private final long maxBodyBytes;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile long read;
        private volatile boolean headersSeen;
        volatile long declared = -1;
        private boolean statusOnly;
        volatile Instant expiry;

        Exchange(ProbeSettings settings, long maxBodyBytes) {
            this.settings = settings;
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public void onHeaders(Response response) {
            Connection connection = response.getRequest().getConnection();
            EndPoint.SslSessionData tls = connection == null ? null : connection.getSslSessionData();
            if (tls != null && tls.peerCertificates() != null && tls.peerCertificates().length > 0) {
                X509Certificate leaf = tls.peerCertificates()[0];
                expiry = leaf.getNotAfter().toInstant();
            }
            headersSeen = true;
            declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (!settings.statusExpected(response.getStatus())) {
                // The status decides; the body would only cost time and bytes.
                statusOnly = true;
                answer.complete(new Answer(response.getStatus(), new byte[0], expiry));
                response.abort(new CancelledBody());
            } else if (declared > maxBodyBytes && !response.getRequest().getMethod().equals("HEAD")) {
                response.abort(new TooLarge());
            }
        }

        /** What a probe that ran out of time had received: nothing, or part of the body. */
        String timedOut(Deadline deadline) {
            long budget = deadline.budget().toMillis();
            if (!headersSeen) {
                return "no response within " + budget + " ms";
            }
            return "body incomplete after " + budget + " ms (" + read + " of "
                    + (declared < 0 ? "unknown" : Long.toString(declared)) + " bytes)";
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            if (statusOnly) {
                return;
            }
            int n = content.remaining();
            read += n;
            if (read > maxBodyBytes) {
                response.abort(new TooLarge());
                return;
            }
            if (settings.bodyMatch() != null) {
                byte[] bytes = new byte[n];
                content.get(bytes);
                kept.write(bytes, 0, n);
            }
        }

        @Override
        public void onComplete(Result result) {
            if (result.isFailed()) {
                answer.completeExceptionally(result.getFailure());
            } else {
                answer.complete(new Answer(result.getResponse().getStatus(), kept.toByteArray(), expiry));
            }
        }
    }

    /** The body of a failed status is not read: the exchange ends at the headers. */
    private static final class CancelledBody extends Exception {
        CancelledBody() {
            super(null, null, false, false);
        }
    }
}
