package io.tally.collectors.core;

import com.codahale.metrics.Clock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.tally.collectors.core.TestCollectors.VALUE;
import static org.assertj.core.api.Assertions.assertThat;

class CollectorRegistryTest {

    private static double value(Snapshot snapshot, String family, String collector) {
        MetricFamily f = snapshot.family(family);
        if (f == null) {
            return Double.NaN;
        }
        for (Sample s : f.samples()) {
            if (s.labelValues().contains(collector)) {
                return s.value();
            }
        }
        return Double.NaN;
    }

    @Test
    void collectorThatSleepsForeverNeverHoldsUpACollectionNorLeaksThreads() {
        TestCollectors.SleepsForever sleeper = new TestCollectors.SleepsForever(false);
        Duration deadline = Duration.ofMillis(10);
        try (CollectorRegistry registry = new CollectorRegistry(
                List.of(TestCollectors.constant("fast", 1), sleeper), deadline, Clock.defaultClock())) {
            Snapshot first = registry.collect();
            assertThat(first.outcome("sleeper").status()).isEqualTo(OutcomeStatus.OK);
            sleeper.sleep = true;
            for (int i = 0; i < 10; i++) {
                registry.collect();
            }
            int platformThreadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

            long worstNanos = 0;
            Snapshot last = null;
            for (int i = 0; i < 1000; i++) {
                long start = System.nanoTime();
                last = registry.collect();
                worstNanos = Math.max(worstNanos, System.nanoTime() - start);
                assertThat(last.outcome("sleeper").status()).isEqualTo(OutcomeStatus.TIMEOUT);
                assertThat(last.outcome("fast").status()).isEqualTo(OutcomeStatus.OK);
            }

            assertThat(Duration.ofNanos(worstNanos)).isLessThanOrEqualTo(deadline.plusMillis(10));
            CollectorOutcome outcome = last.outcome("sleeper");
            assertThat(outcome.stale()).isTrue();
            assertThat(outcome.dataCollectedAt()).isEqualTo(first.collectedAt());
            assertThat(outcome.error()).isNotBlank();
            // The first (good) value is what the snapshot carries, not anything written since.
            assertThat(value(last, "test_value", "sleeper")).isEqualTo(1.0);
            assertThat(value(last, "tally_collector_stale", "sleeper")).isEqualTo(1.0);
            assertThat(value(last, "tally_collector_timeouts", "sleeper")).isEqualTo(1010.0);
            assertThat(sleeper.live.get()).isLessThanOrEqualTo(1);
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThanOrEqualTo(platformThreadsBefore);
        }
    }

    @Test
    void throwingCollectorIsIsolatedAndCounted() {
        try (CollectorRegistry registry = new CollectorRegistry(
                List.of(TestCollectors.constant("good", 7), TestCollectors.throwing("bad")),
                Duration.ofMillis(200), Clock.defaultClock())) {
            registry.collect();
            Snapshot snapshot = registry.collect();

            assertThat(snapshot.outcome("good").status()).isEqualTo(OutcomeStatus.OK);
            assertThat(value(snapshot, "test_value", "good")).isEqualTo(7.0);
            CollectorOutcome bad = snapshot.outcome("bad");
            assertThat(bad.status()).isEqualTo(OutcomeStatus.ERROR);
            assertThat(bad.error()).contains("broker said no");
            assertThat(bad.stale()).isFalse();
            assertThat(value(snapshot, "tally_collector_errors", "bad")).isEqualTo(2.0);
            assertThat(value(snapshot, "tally_collector_errors", "good")).isEqualTo(0.0);
        }
    }

    @Test
    void lateWriteFromAnInterruptedCollectorIsRefused() throws Exception {
        AtomicReference<Throwable> lateWrite = new AtomicReference<>();
        CountDownLatch wrote = new CountDownLatch(1);
        Collector stubborn = new Collector() {
            public String name() {
                return "stubborn";
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // ignores interruption on purpose
                }
                try {
                    out.gauge(VALUE, 99, "stubborn");
                } catch (Throwable t) {
                    lateWrite.set(t);
                } finally {
                    wrote.countDown();
                }
            }
        };
        try (CollectorRegistry registry = new CollectorRegistry(List.of(stubborn), Duration.ofMillis(5),
                Clock.defaultClock())) {
            Snapshot snapshot = registry.collect();
            assertThat(wrote.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(lateWrite.get()).isInstanceOf(IllegalStateException.class);
            assertThat(snapshot.outcome("stubborn").status()).isEqualTo(OutcomeStatus.TIMEOUT);
            assertThat(snapshot.family("test_value")).isNull();
            assertThat(registry.latest().family("test_value")).isNull();
        }
    }

    @Test
    void stillRunningCollectorIsNotCalledAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Collector deaf = new Collector() {
            public String name() {
                return "deaf";
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                calls.incrementAndGet();
                while (release.getCount() > 0) {
                    Thread.onSpinWait();
                }
            }
        };
        try (CollectorRegistry registry = new CollectorRegistry(List.of(deaf), Duration.ofMillis(50),
                Clock.defaultClock())) {
            registry.collect();
            Snapshot second = registry.collect();
            assertThat(calls.get()).isEqualTo(1);
            assertThat(second.outcome("deaf").status()).isEqualTo(OutcomeStatus.TIMEOUT);
            assertThat(second.outcome("deaf").error()).contains("still running");
            release.countDown();
        }
    }

    @Test
    void unavailableCollectorIsReportedNotCalled() {
        AtomicInteger calls = new AtomicInteger();
        Collector offline = new Collector() {
            public String name() {
                return "offline";
            }

            public boolean isAvailable() {
                return false;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                calls.incrementAndGet();
            }

            public void collectUnavailable(CollectionContext context, CollectionOutput out) {
                out.gauge(VALUE, 0, "offline"); // e.g. connected = 0
            }
        };
        try (CollectorRegistry registry = new CollectorRegistry(List.of(offline), Duration.ofMillis(50),
                Clock.defaultClock())) {
            Snapshot snapshot = registry.collect();
            assertThat(calls.get()).isZero();
            assertThat(snapshot.outcome("offline").status()).isEqualTo(OutcomeStatus.UNAVAILABLE);
            assertThat(snapshot.outcome("offline").stale()).isFalse();
            assertThat(value(snapshot, "test_value", "offline")).isEqualTo(0.0);
            assertThat(value(snapshot, "tally_collector_status", "offline")).isEqualTo(0.0); // status=ok series
        }
    }

    @Test
    void onDemandCollectionsAreSharedAndOnlyWhenTooOld() throws Exception {
        ManualClock clock = new ManualClock();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Collector slow = new Collector() {
            public String name() {
                return "slow";
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) throws InterruptedException {
                if (calls.incrementAndGet() == 2) {
                    inside.countDown();
                    release.await();
                }
            }
        };
        try (CollectorRegistry registry = new CollectorRegistry(List.of(slow), Duration.ofSeconds(30), clock)) {
            Snapshot first = registry.latestWithin(Duration.ofSeconds(5));
            assertThat(first.sequence()).isEqualTo(1);
            assertThat(registry.latestWithin(Duration.ofSeconds(5))).isSameAs(first);

            clock.advance(6, TimeUnit.SECONDS);
            List<Thread> callers = new ArrayList<>();
            List<Snapshot> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 8; i++) {
                callers.add(Thread.ofVirtual().start(() -> seen.add(registry.latestWithin(Duration.ofSeconds(5)))));
            }
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            for (Thread t : callers) {
                t.join(5000);
            }
            assertThat(calls.get()).isEqualTo(2);
            assertThat(seen).hasSize(8).allSatisfy(s -> assertThat(s.sequence()).isEqualTo(2));
        }
    }

    @Test
    void fragmentsMergeIntoSortedFamiliesAndATargetIndex() {
        try (CollectorRegistry registry = new CollectorRegistry(
                List.of(TestCollectors.constant("b", 2), TestCollectors.constant("a", 1)),
                Duration.ofMillis(200), Clock.defaultClock())) {
            AtomicReference<Snapshot> published = new AtomicReference<>();
            registry.addListener(published::set);
            Snapshot snapshot = registry.collect();

            assertThat(published.get()).isSameAs(snapshot);
            assertThat(snapshot.family("test_value").samples()).extracting(Sample::value).containsExactly(2.0, 1.0);
            List<String> names = snapshot.families().stream().map(MetricFamily::name).toList();
            assertThat(names).isSorted();
            assertThat(snapshot.targets().facts("target-a", TestCollectors.TestFact.class))
                    .extracting(TestCollectors.TestFact::from).containsExactly("b", "a");
            assertThat(snapshot.family("tally_collection_duration_seconds").histograms().get(0).count()).isEqualTo(1);
        }
    }
}
