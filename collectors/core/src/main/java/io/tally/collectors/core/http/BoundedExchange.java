package io.tally.collectors.core.http;

import io.tally.collectors.core.catalog.RedactedUrl;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * One HTTP exchange under one {@link Deadline} that covers all of it: name resolution, connect,
 * TLS handshake, request, headers and body.
 *
 * <p>java.net.http's request timeout ends when the headers arrive, so a peer that sends its headers
 * and then stalls holds a plain {@code send()} forever. Here the caller waits for the whole
 * response (the future of {@code sendAsync} completes only once the body has been read) for at
 * most the time left, then cancels it: the JDK's futures are cancelable, and cancelling an
 * HTTP/1.1 exchange closes its connection. The request timeout is still set to the time left, so
 * the JDK also gives up on its own before the headers. Name resolution runs inside the client's
 * connect step on the client's executor; when it hangs, the caller is released at the deadline all
 * the same and the lookup finishes on that thread.
 *
 * <p>The body goes through a subscriber that counts while it streams and, the moment the body would
 * pass the limit, cancels (closing the connection) and fails with {@code too_large}: nothing past the
 * limit is read into memory, and a declared {@code Content-Length} over the limit fails before the
 * first body byte.
 *
 * <p>Failures carry a fixed kind for metric labels: {@code timeout}, {@code dns}, {@code connect},
 * {@code tls}, {@code too_large}. The status is not judged here.
 */
public final class BoundedExchange {
    /** What to do with a response body, decided from the status once the headers are in. */
    public enum Body {
        /** Do not read it: the exchange ends with the headers and the connection is closed. */
        SKIP,
        /** Read it to the end within the deadline and the limit, keeping nothing. */
        DISCARD,
        /** Read it to the end within the deadline and the limit, and return it. */
        KEEP
    }

    /**
     * A response read within the deadline.
     *
     * @param body the body when it was kept, else null
     */
    public record Response(int status, byte[] body, long bodyBytes, Optional<SSLSession> sslSession) {
    }

    private final HttpClient client;

    /** Over a client shared by every exchange of one purpose; its connect timeout is not needed. */
    public BoundedExchange(HttpClient client) {
        this.client = client;
    }

    /**
     * Sends {@code request} (its method and headers; the URI and timeout are set here) to {@code url}
     * and reads the response within {@code deadline}.
     *
     * @param bodyFor what to do with the body, given the status
     */
    public Response send(RedactedUrl url, HttpRequest.Builder request, Deadline deadline, long maxBodyBytes,
                         IntFunction<Body> bodyFor) throws Failure, InterruptedException {
        Duration left = deadline.remaining();
        if (left.isZero()) {
            throw new Failure("timeout", "no time left of " + deadline.budget().toMillis() + " ms before sending");
        }
        HttpRequest built = request.uri(url.reveal()).timeout(left.compareTo(Duration.ofMillis(1)) < 0
                ? Duration.ofMillis(1) : left).build();
        boolean head = built.method().equals("HEAD");
        Progress progress = new Progress();
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(built, info -> {
            progress.headers(info.headers().firstValueAsLong("Content-Length").orElse(-1));
            Body mode = bodyFor.apply(info.statusCode());
            if (mode == Body.SKIP) {
                return LimitedBody.skipping(progress);
            }
            if (!head && progress.declared > maxBodyBytes) {
                return LimitedBody.refusing(progress);
            }
            return new LimitedBody(maxBodyBytes, mode == Body.KEEP, progress);
        });
        try {
            HttpResponse<byte[]> response = pending.get(Math.max(1, deadline.remaining().toNanos()),
                    TimeUnit.NANOSECONDS);
            return new Response(response.statusCode(), response.body(), progress.received, response.sslSession());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut(deadline, progress);
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw failure(e.getCause(), url, deadline, progress, maxBodyBytes);
        }
    }

    private static Failure failure(Throwable error, RedactedUrl url, Deadline deadline, Progress progress,
                                   long maxBodyBytes) {
        String kind = kindOf(error);
        return switch (kind) {
            case "too_large" -> new Failure(kind, progress.declared > maxBodyBytes
                    ? "body of " + progress.declared + " bytes is over the limit of " + maxBodyBytes + " bytes"
                    : "body larger than the limit of " + maxBodyBytes + " bytes");
            case "timeout" -> timedOut(deadline, progress);
            case "dns" -> new Failure(kind, "cannot resolve " + url.host());
            default -> new Failure(kind, url.scrub(describe(error)));
        };
    }

    private static Failure timedOut(Deadline deadline, Progress progress) {
        long budget = deadline.budget().toMillis();
        if (!progress.headersSeen) {
            return new Failure("timeout", "no response within " + budget + " ms");
        }
        return new Failure("timeout", "body incomplete after " + budget + " ms (" + progress.received + " of "
                + (progress.declared < 0 ? "unknown" : Long.toString(progress.declared)) + " bytes)");
    }

    /**
     * The fixed kind of a failed exchange, from the exception and its causes: also for plain socket
     * exchanges (a TCP probe), whose timeouts are {@link SocketTimeoutException}s.
     */
    public static String kindOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TooLarge) {
                return "too_large";
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return "timeout";
            }
            if (t instanceof SSLException) {
                return "tls";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "dns";
            }
        }
        return "connect";
    }

    /** The exception and its causes, class names and messages, in at most about 300 characters. */
    public static String describe(Throwable error) {
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

    /** How far an exchange got, for the message when it runs out of time. */
    private static final class Progress {
        volatile boolean headersSeen;
        volatile long declared = -1;
        volatile long received;

        void headers(long contentLength) {
            declared = contentLength;
            headersSeen = true;
        }
    }

    /** The body was, or was declared, over the limit. */
    private static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /**
     * Reads a body one chunk at a time (demand 1, so the client does not read ahead of it), counting
     * bytes and keeping them when asked; cancels and fails once the count would pass the limit.
     * Subscriber calls are serialized by the client.
     */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private static final int MAX_KEPT = Integer.MAX_VALUE - 8;

        private final long limit;
        private final boolean keep;
        private final Progress progress;
        /** Ends the exchange at the headers (SKIP, or a declared length over the limit). */
        private final boolean endAtHeaders;
        /** Why the body is refused; null when it is merely skipped or read. */
        private final Exception refusal;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private byte[] kept = new byte[0];
        private int size;
        private boolean done;

        LimitedBody(long limit, boolean keep, Progress progress) {
            this(keep ? Math.min(limit, MAX_KEPT) : limit, keep, progress, false, null);
        }

        private LimitedBody(long limit, boolean keep, Progress progress, boolean endAtHeaders, Exception refusal) {
            this.limit = limit;
            this.keep = keep;
            this.progress = progress;
            this.endAtHeaders = endAtHeaders;
            this.refusal = refusal;
        }

        static LimitedBody skipping(Progress progress) {
            return new LimitedBody(0, false, progress, true, null);
        }

        static LimitedBody refusing(Progress progress) {
            return new LimitedBody(0, false, progress, true, new TooLarge());
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (endAtHeaders) {
                done = true;
                s.cancel();
                if (refusal != null) {
                    result.completeExceptionally(refusal);
                } else {
                    result.complete(null);
                }
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (done) {
                return;
            }
            long n = 0;
            for (ByteBuffer buffer : buffers) {
                n += buffer.remaining();
            }
            if (progress.received + n > limit) {
                done = true;
                subscription.cancel();
                result.completeExceptionally(new TooLarge());
                return;
            }
            if (keep) {
                keep(buffers, n);
            }
            progress.received += n;
            subscription.request(1);
        }

        private void keep(List<ByteBuffer> buffers, long n) {
            int needed = (int) (size + n);
            if (needed > kept.length) {
                // Grow by doubling, never past the limit.
                kept = Arrays.copyOf(kept, (int) Math.min(limit, Math.max(needed, 2L * kept.length)));
            }
            for (ByteBuffer buffer : buffers) {
                int length = buffer.remaining();
                buffer.get(kept, size, length);
                size += length;
            }
        }

        @Override
        public void onError(Throwable error) {
            done = true;
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            if (!done) {
                done = true;
                result.complete(keep ? Arrays.copyOf(kept, size) : null);
            }
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }

    /** Why an exchange failed; {@code kind} is a fixed word for metric labels. */
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
