package io.tally.collectors.core.http;

import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.http.MisbehavingPeer.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Each exchange ends by its one deadline or its size limit, whatever the peer does, with a fixed
 * kind; the tests' own bound is far above the deadline, and before the deadline covered the body
 * the stalled cases never returned at all.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BoundedExchangeTest {
    /** Long enough to read 1 MiB on a busy machine, so that the size cases fail on size, not time. */
    private static final Duration DEADLINE = Duration.ofMillis(2000);
    /** Only "it came back", never "it was fast": far above the deadline on a loaded machine. */
    private static final long RETURNED_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(20);

    private static BoundedGet.Failure fetchFails(String url, long maxBytes) {
        BoundedGet get = new BoundedGet(RedactedUrl.parse(url), "text/plain", "test", "Bearer SECRETAUTH", maxBytes);
        long start = System.nanoTime();
        BoundedGet.Failure failure = catchThrowableOfType(BoundedGet.Failure.class, () -> get.fetch(DEADLINE));
        assertThat(System.nanoTime() - start).isLessThan(RETURNED_WITHIN_NANOS);
        assertThat(failure).as("fetch of " + url + " failed").isNotNull();
        assertThat(failure.getMessage()).doesNotContain("SECRETXYZ").doesNotContain("SECRETAUTH");
        return failure;
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOutAndTheConnectionIsClosed() throws Exception {
        try (MisbehavingPeer peer = new MisbehavingPeer(Mode.STALL_AFTER_HEADERS)) {
            BoundedGet.Failure failure = fetchFails(peer.url("http"), 1024);
            assertThat(failure.kind()).isEqualTo("timeout");
            assertThat(failure.getMessage()).contains("body incomplete after 2000 ms (0 of 100 bytes)");
            assertThat(peer.firstHangUp.await(10, TimeUnit.SECONDS)).as("client closed the connection").isTrue();
        }
    }

    @Test
    void aPeerThatAcceptsAndNeverAnswersTimesOut() throws Exception {
        try (MisbehavingPeer peer = new MisbehavingPeer(Mode.SILENT)) {
            BoundedGet.Failure failure = fetchFails(peer.url("http"), 1024);
            assertThat(failure.kind()).isEqualTo("timeout");
            assertThat(failure.getMessage()).contains("no response within 2000 ms");
            assertThat(peer.firstHangUp.await(10, TimeUnit.SECONDS)).as("client closed the connection").isTrue();
        }
    }

    @Test
    void aTlsHandshakeThatStallsTimesOut() throws Exception {
        try (MisbehavingPeer peer = new MisbehavingPeer(Mode.SILENT)) {
            BoundedGet.Failure failure = fetchFails(peer.url("https"), 1024);
            assertThat(failure.kind()).isEqualTo("timeout");
            assertThat(peer.firstHangUp.await(10, TimeUnit.SECONDS)).as("client closed the connection").isTrue();
        }
    }

    @Test
    void aResetIsAConnectFailure() throws Exception {
        try (MisbehavingPeer peer = new MisbehavingPeer(Mode.RESET)) {
            BoundedGet.Failure failure = fetchFails(peer.url("http"), 1024);
            assertThat(failure.kind()).isEqualTo("connect");
            assertThat(failure.getMessage()).startsWith("cannot reach http://127.0.0.1:");
        }
    }

    @Test
    void aNameThatDoesNotResolveIsADnsFailure() {
        BoundedGet.Failure failure = fetchFails("http://tally-fault-test.invalid/metrics?token=SECRETXYZ", 1024);
        assertThat(failure.kind()).isEqualTo("dns");
        assertThat(failure.getMessage()).contains("cannot resolve tally-fault-test.invalid");
    }

    @Test
    void aFiftyMegabyteChunkedBodyStopsAtTheLimitWithoutBeingReadWhole() throws Exception {
        try (MisbehavingPeer peer = new MisbehavingPeer(Mode.HUGE_CHUNKED)) {
            BoundedGet.Failure failure = fetchFails(peer.url("http"), 1024 * 1024);
            assertThat(failure.kind()).isEqualTo("too_large");
            assertThat(failure.getMessage()).contains("body larger than the limit of 1048576 bytes");
            assertThat(peer.firstHangUp.await(10, TimeUnit.SECONDS)).as("client closed the connection").isTrue();
            // What the peer managed to write is the limit plus the sockets' buffers, not 50 MB.
            assertThat(peer.bodyBytesWritten.get()).isLessThan(MisbehavingPeer.FIFTY_MB / 2);
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitFailsBeforeTheBody() throws Exception {
        try (MisbehavingPeer peer = new MisbehavingPeer(Mode.HUGE_DECLARED)) {
            BoundedGet.Failure failure = fetchFails(peer.url("http"), 1024 * 1024);
            assertThat(failure.kind()).isEqualTo("too_large");
            assertThat(failure.getMessage()).contains("body of 52428800 bytes is over the limit of 1048576 bytes");
            assertThat(peer.firstHangUp.await(10, TimeUnit.SECONDS)).as("client closed the connection").isTrue();
            assertThat(peer.bodyBytesWritten.get()).isLessThan(MisbehavingPeer.FIFTY_MB / 2);
        }
    }

    @Test
    void discardingReadsTheWholeBodyWithinTheLimitAndSkippingReadsNone() throws Exception {
        try (MisbehavingPeer peer = new MisbehavingPeer(Mode.HUGE_CHUNKED)) {
            BoundedExchange exchange = new BoundedExchange(HttpClient.newHttpClient());
            RedactedUrl url = RedactedUrl.parse(peer.url("http"));
            BoundedExchange.Failure tooLarge = catchThrowableOfType(BoundedExchange.Failure.class,
                    () -> exchange.send(url, HttpRequest.newBuilder().GET(), Deadline.after(Duration.ofSeconds(10)),
                            4096, status -> BoundedExchange.Body.DISCARD));
            assertThat(tooLarge.kind()).isEqualTo("too_large");

            BoundedExchange.Response skipped = exchange.send(url, HttpRequest.newBuilder().GET(),
                    Deadline.after(Duration.ofSeconds(10)), 4096, status -> BoundedExchange.Body.SKIP);
            assertThat(skipped.status()).isEqualTo(200);
            assertThat(skipped.body()).isNull();
            assertThat(skipped.bodyBytes()).isZero();
        }
    }

    @Test
    void aDeadlineWithNoTimeLeftFailsWithoutSending() throws Exception {
        try (MisbehavingPeer peer = new MisbehavingPeer(Mode.SILENT)) {
            Deadline spent = Deadline.after(Duration.ofMillis(1));
            Thread.sleep(5);
            BoundedExchange.Failure failure = catchThrowableOfType(BoundedExchange.Failure.class,
                    () -> new BoundedExchange(HttpClient.newHttpClient()).send(RedactedUrl.parse(peer.url("http")),
                            HttpRequest.newBuilder().GET(), spent, 1024, status -> BoundedExchange.Body.KEEP));
            assertThat(failure.kind()).isEqualTo("timeout");
            assertThat(peer.accepted.get()).isZero();
        }
    }

    @Test
    void aBlockingCallIsAbandonedAtTheDeadline() {
        Deadline deadline = Deadline.after(Duration.ofMillis(200));
        long start = System.nanoTime();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Throwable timedOut = catchThrowableOfType(java.util.concurrent.TimeoutException.class,
                () -> deadline.await("test-blocking", () -> {
                    // Like an InetAddress lookup: interruption does not end it.
                    while (release.getCount() > 0) {
                        try {
                            release.await();
                        } catch (InterruptedException ignored) {
                            // keep blocking
                        }
                    }
                    return null;
                }));
        release.countDown();
        assertThat(timedOut).isNotNull();
        assertThat(System.nanoTime() - start).isLessThan(RETURNED_WITHIN_NANOS);
    }
}
