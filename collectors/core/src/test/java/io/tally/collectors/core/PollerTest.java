package io.tally.collectors.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

class PollerTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ManualClock clock = new ManualClock();

    @AfterEach
    void shutDown() {
        scheduler.shutdownNow();
    }

    private Poller poller(Duration interval, Backoff backoff, Poller.Task task) {
        return new Poller("tally-poller-test", new PollSettings(interval, Duration.ofSeconds(1), backoff), clock,
                scheduler, task);
    }

    @Test
    void aPollDueWhileOneRunsIsSkippedAndCounted() throws Exception {
        CountDownLatch inPoll = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Poller poller = poller(Duration.ofHours(1), Backoff.NONE, () -> {
            runs.incrementAndGet();
            inPoll.countDown();
            release.await();
        });
        Thread first = poller.runInBackground();
        assertThat(inPoll.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(poller.runIfIdle()).isFalse();
        assertThat(poller.runIfIdle()).isFalse();
        assertThat(poller.skipped()).isEqualTo(2);

        release.countDown();
        first.join(5_000);
        assertThat(poller.runIfIdle()).isTrue();
        assertThat(runs.get()).isEqualTo(2);
        assertThat(poller.skipped()).isEqualTo(2);
    }

    @Test
    void pollsOnItsVirtualThreadEveryIntervalUntilStopped() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Thread> thread = new AtomicReference<>();
        CountDownLatch three = new CountDownLatch(3);
        Poller poller = poller(Duration.ofMillis(20), Backoff.NONE, () -> {
            thread.set(Thread.currentThread());
            runs.incrementAndGet();
            three.countDown();
        });
        poller.start();
        assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
        poller.stop();
        // A poll the scheduler had already handed to its thread may still land; none after that.
        Thread.sleep(100);
        int afterStop = runs.get();
        Thread.sleep(200);
        assertThat(runs.get()).isEqualTo(afterStop);
        assertThat(thread.get().isVirtual()).isTrue();
        assertThat(thread.get().getName()).isEqualTo("tally-poller-test");
    }

    @Test
    void stopBeforeStartIsHarmless() {
        poller(Duration.ofMillis(20), Backoff.NONE, () -> { }).stop();
    }

    @Test
    void anInterruptedPollLeavesTheThreadInterruptedAndThePollerIdle() {
        Poller poller = poller(Duration.ofHours(1), Backoff.NONE, () -> {
            throw new InterruptedException("stopping");
        });
        try {
            assertThat(poller.runIfIdle()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(poller.runIfIdle()).isTrue();
        Thread.interrupted();
        assertThat(poller.skipped()).isZero();
    }

    @Test
    void whenIdleWaitsForThePollGoingAndKeepsPollsOutWhileItRuns() throws Exception {
        CountDownLatch inPoll = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Poller poller = poller(Duration.ofHours(1), Backoff.NONE, () -> {
            inPoll.countDown();
            release.await();
        });
        poller.runInBackground();
        assertThat(inPoll.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicInteger actions = new AtomicInteger();
        assertThat(poller.whenIdle(Duration.ofMillis(50), actions::incrementAndGet)).isFalse();
        assertThat(actions.get()).isZero();
        assertThat(poller.skipped()).isZero();

        release.countDown();
        AtomicReference<Boolean> pollDuringAction = new AtomicReference<>();
        assertThat(poller.whenIdle(Duration.ofSeconds(5), () -> pollDuringAction.set(poller.runIfIdle()))).isTrue();
        assertThat(pollDuringAction.get()).isFalse();
    }

    @Test
    void aFailureHoldsTheNextAttemptForItsBackoffAndARecoveryStartsTheCountAgain() {
        Poller poller = poller(Duration.ofHours(1), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0),
                () -> { });
        assertThat(poller.backingOff(clock.getTick())).isFalse();

        assertThat(poller.failed()).isEqualTo(1);
        assertThat(poller.backingOff(clock.getTick())).isTrue();
        clock.advance(999, TimeUnit.MILLISECONDS);
        assertThat(poller.backingOff(clock.getTick())).isTrue();
        clock.advance(1, TimeUnit.MILLISECONDS);
        assertThat(poller.backingOff(clock.getTick())).isFalse();

        assertThat(poller.failed()).isEqualTo(2);
        clock.advance(1_999, TimeUnit.MILLISECONDS);
        assertThat(poller.backingOff(clock.getTick())).isTrue();
        clock.advance(1, TimeUnit.MILLISECONDS);
        assertThat(poller.backingOff(clock.getTick())).isFalse();

        poller.recovered();
        assertThat(poller.failures()).isZero();
        assertThat(poller.failed()).isEqualTo(1);
    }

    @Test
    void backoffDoublesPerFailureUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
        // 0.5 is the middle of the jitter: no change.
        assertThat(backoff.delayMillis(1, 0.5)).isEqualTo(1_000);
        assertThat(backoff.delayMillis(2, 0.5)).isEqualTo(2_000);
        assertThat(backoff.delayMillis(5, 0.5)).isEqualTo(16_000);
        assertThat(backoff.delayMillis(6, 0.5)).isEqualTo(30_000);
        assertThat(backoff.delayMillis(1_000, 0.5)).isEqualTo(30_000);
    }

    @Test
    void jitterSpreadsTheWaitEitherSide() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(30), 0.2);
        assertThat(backoff.delayMillis(1, 0)).isEqualTo(8_000);
        assertThat(backoff.delayMillis(1, 0.75)).isEqualTo(11_000);
        assertThat(backoff.delayMillis(3, 0.999_999_9)).isBetween(35_990L, 36_000L);
        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.delayMillis(2)).isBetween(16_000L, 24_000L);
        }
        assertThat(Backoff.NONE.delayMillis(7)).isZero();
    }

    @Test
    void guardsSharingOneCounterAddTheirSkips() throws Exception {
        LongAdder skips = new LongAdder();
        BusyGuard a = new BusyGuard(skips);
        BusyGuard b = new BusyGuard(skips);
        assertThat(a.tryEnter()).isTrue();
        assertThat(b.tryEnter()).isTrue();
        assertThat(a.tryEnter()).isFalse();
        assertThat(b.tryEnter()).isFalse();
        assertThat(skips.sum()).isEqualTo(2);

        // Entered on one thread, left on another: the way a probe hands its run to a virtual thread.
        Thread.ofVirtual().start(a::leave).join();
        assertThat(a.tryEnter()).isTrue();
        assertThat(a.enterWithin(Duration.ofMillis(10))).isFalse();
        assertThat(a.skipped()).isEqualTo(2);
    }
}
