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
    void collectorThatSleepsForeverNeverHoldsUpACollectionNorLeaksThreads() throws Exception {
        TestCollectors.SleepsForever sleeper = new TestCollectors.SleepsForever(false);
        TestCollectors.IgnoresInterrupts deaf = new TestCollectors.IgnoresInterrupts("deaf");
        // Long enough that "fast" answers in time on a busy two-core machine too.
        Duration deadline = Duration.ofMillis(50);
        try (CollectorRegistry registry = new CollectorRegistry(
                List.of(TestCollectors.constant("fast", 1), sleeper, deaf), deadline, Clock.defaultClock())) {
            // The first calls of a cold JVM may take longer than 10 ms: collect until all are in.
            Snapshot first = registry.collect();
            for (int i = 0; i < 100 && first.outcomes().stream().anyMatch(o -> o.status() != OutcomeStatus.OK); i++) {
                first = registry.collect();
            }
            assertThat(first.outcome("sleeper").status()).isEqualTo(OutcomeStatus.OK);
            assertThat(first.outcome("deaf").status()).isEqualTo(OutcomeStatus.OK);
            int warmUp = sleeper.calls.get();
            int deafWarmUp = deaf.calls.get();
            sleeper.sleep = true;
            deaf.hang = true;
            for (int i = 0; i < 10; i++) {
                registry.collect();
            }
            int platformThreadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long virtualBefore = ThreadCensus.virtualThreadsNamed("tally-collector-");

            long worstNanos = 0;
            Snapshot last = null;
            for (int i = 0; i < 200; i++) {
                long start = System.nanoTime();
                last = registry.collect();
                worstNanos = Math.max(worstNanos, System.nanoTime() - start);
                assertThat(last.outcome("sleeper").status()).isEqualTo(OutcomeStatus.TIMEOUT);
                assertThat(last.outcome("deaf").status()).isEqualTo(OutcomeStatus.TIMEOUT);
                assertThat(last.outcome("fast").status()).isEqualTo(OutcomeStatus.OK);
            }

            // Not a speed claim: a collection that waited for either hung collector would never end.
            assertThat(Duration.ofNanos(worstNanos)).isLessThan(Duration.ofSeconds(2));
            CollectorOutcome outcome = last.outcome("sleeper");
            assertThat(outcome.stale()).isTrue();
            assertThat(outcome.dataCollectedAt()).isEqualTo(first.collectedAt());
            assertThat(outcome.error()).isNotBlank();
            // The first (good) value is what the snapshot carries, not anything written since.
            assertThat(value(last, "test_value", "sleeper")).isEqualTo(warmUp);
            assertThat(value(last, "tally_collector_stale", "sleeper")).isEqualTo(1.0);
            assertThat(value(last, "tally_collector_timeouts", "sleeper")).isGreaterThanOrEqualTo(210.0);
            assertThat(value(last, "test_value", "deaf")).isEqualTo(deafWarmUp);
            assertThat(last.outcome("deaf").error()).contains("still running");
            assertThat(sleeper.live.get()).isLessThanOrEqualTo(1);
            // The one that ignores interrupts was entered once more after its good calls: the one that hangs.
            assertThat(deaf.calls.get()).isEqualTo(deafWarmUp + 1);
            // The virtual-thread scheduler may start a carrier per core under load; a leak would be hundreds.
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount())
                    .isLessThanOrEqualTo(platformThreadsBefore + Runtime.getRuntime().availableProcessors());
            // Virtual threads too: at most the hung one and a sleeper still waking up from its interrupt.
            assertThat(ThreadCensus.virtualThreadsNamed("tally-collector-")).isLessThanOrEqualTo(virtualBefore + 1)
                    .isLessThanOrEqualTo(3);
        } finally {
            deaf.release();
        }
    }

    @Test
    void aFamilyDeclaredWithAnotherShapeIsLeftOutOfThatCollectorOnly() {
        MetricDescriptor asCounter = MetricDescriptor.counter("test_value", "The same name as a counter.", "",
                "collector");
        MetricDescriptor own = MetricDescriptor.gauge("test_other", "Another family of the clashing collector.", "",
                "collector");
        Collector clashing = TestCollectors.writing("clashing", out -> {
            out.counter(asCounter, 5, "clashing");
            out.gauge(own, 3, "clashing");
            out.fact("target-a", new TestCollectors.TestFact("clashing"));
        });
        try (CollectorRegistry registry = new CollectorRegistry(
                List.of(TestCollectors.constant("first", 1), clashing, TestCollectors.constant("third", 3)),
                Duration.ofMillis(200), Clock.defaultClock())) {
            registry.collect();
            Snapshot snapshot = registry.collect();

            // Everyone else's series stay, the clashing collector's other family too.
            assertThat(snapshot.family("test_value").descriptor().type()).isEqualTo(MetricType.GAUGE);
            assertThat(value(snapshot, "test_value", "first")).isEqualTo(1.0);
            assertThat(value(snapshot, "test_value", "third")).isEqualTo(3.0);
            assertThat(value(snapshot, "test_value", "clashing")).isNaN();
            assertThat(value(snapshot, "test_other", "clashing")).isEqualTo(3.0);
            assertThat(snapshot.targets().facts("target-a", TestCollectors.TestFact.class))
                    .extracting(TestCollectors.TestFact::from).contains("first", "clashing", "third");
            assertThat(snapshot.family("tally_collections")).isNotNull();
            // ... and the clash shows: status, reason naming the family and the first declaration, metric.
            assertThat(snapshot.outcome("first").status()).isEqualTo(OutcomeStatus.OK);
            assertThat(snapshot.outcome("third").status()).isEqualTo(OutcomeStatus.OK);
            CollectorOutcome outcome = snapshot.outcome("clashing");
            assertThat(outcome.status()).isEqualTo(OutcomeStatus.ERROR);
            assertThat(outcome.stale()).isFalse();
            assertThat(outcome.error()).contains("test_value").contains("'first'").contains("counter")
                    .contains("gauge");
            assertThat(value(snapshot, "tally_collector_errors", "clashing")).isEqualTo(2.0);
            assertThat(statusValue(snapshot, "clashing", "error")).isEqualTo(1.0);
        }
    }

    @Test
    void histogramsWithOtherBucketsClashAndTheFirstLayoutWins() {
        MetricDescriptor fine = MetricDescriptor.histogram("test_latency_seconds", "Latency.", "seconds",
                new double[] {0.1, 1}, "collector");
        MetricDescriptor coarse = MetricDescriptor.histogram("test_latency_seconds", "Latency.", "seconds",
                new double[] {1, 5, 10}, "collector");
        try (CollectorRegistry registry = new CollectorRegistry(List.of(
                TestCollectors.writing("a", out -> out.histogram(fine, new long[] {1, 2, 3}, 1.5, "a")),
                TestCollectors.writing("b", out -> out.histogram(coarse, new long[] {1, 2, 3, 4}, 9, "b"))),
                Duration.ofMillis(200), Clock.defaultClock())) {
            Snapshot snapshot = registry.collect();
            assertThat(snapshot.family("test_latency_seconds").histograms()).hasSize(1);
            assertThat(snapshot.family("test_latency_seconds").descriptor().bucketCount()).isEqualTo(2);
            assertThat(snapshot.outcome("b").error()).contains("buckets [1.0, 5.0, 10.0]").contains("'a'");
        }
    }

    @Test
    void engineAndApplicationNamesAreReserved() {
        MetricDescriptor fake = MetricDescriptor.gauge("tally_collections", "A plug-in's own idea.", "");
        MetricDescriptor app = MetricDescriptor.gauge("process_uptime_seconds", "Not the collector's.", "seconds");
        try (CollectorRegistry registry = new CollectorRegistry(List.of(
                TestCollectors.writing("plugin", out -> {
                    out.gauge(fake, 123);
                    out.gauge(app, 1);
                    out.gauge(TestCollectors.VALUE, 7, "plugin");
                })),
                Duration.ofMillis(200), Clock.defaultClock(), name -> name.startsWith("process_"))) {
            Snapshot snapshot = registry.collect();
            assertThat(snapshot.family("tally_collections").descriptor().type()).isEqualTo(MetricType.COUNTER);
            assertThat(snapshot.family("tally_collections").samples().get(0).value()).isEqualTo(1.0);
            assertThat(snapshot.family("process_uptime_seconds")).isNull();
            assertThat(value(snapshot, "test_value", "plugin")).isEqualTo(7.0);
            assertThat(snapshot.outcome("plugin").status()).isEqualTo(OutcomeStatus.ERROR);
            assertThat(snapshot.outcome("plugin").error()).contains("tally_collections").contains("reserved")
                    .contains("process_uptime_seconds");
        }
    }

    @Test
    void aClashThatEndsEndsTheError() {
        MetricDescriptor asCounter = MetricDescriptor.counter("test_value", "Clashing.", "", "collector");
        java.util.concurrent.atomic.AtomicBoolean clash = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (CollectorRegistry registry = new CollectorRegistry(List.of(TestCollectors.constant("first", 1),
                TestCollectors.writing("second", out -> {
                    if (clash.get()) {
                        out.counter(asCounter, 1, "second");
                    } else {
                        out.gauge(TestCollectors.VALUE, 2, "second");
                    }
                })), Duration.ofMillis(200), Clock.defaultClock())) {
            assertThat(registry.collect().outcome("second").status()).isEqualTo(OutcomeStatus.ERROR);
            clash.set(false);
            Snapshot snapshot = registry.collect();
            assertThat(snapshot.outcome("second").status()).isEqualTo(OutcomeStatus.OK);
            assertThat(value(snapshot, "test_value", "second")).isEqualTo(2.0);
        }
    }

    @Test
    void anUnavailableCollectorThatOverrunsNeverWritesIntoASnapshot() throws Exception {
        // collectUnavailable writes, then ignores its interrupt and returns just after the deadline:
        // whatever it built must be in no snapshot, this one or a later one.
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger returned = new AtomicInteger();
        Collector late = new Collector() {
            public String name() {
                return "late";
            }

            public boolean isAvailable() {
                return false;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
            }

            public void collectUnavailable(CollectionContext context, CollectionOutput out) {
                int call = calls.incrementAndGet();
                out.gauge(VALUE, call, "late");
                while (context.remainingNanos() > -TimeUnit.MICROSECONDS.toNanos(200)) {
                    Thread.onSpinWait(); // past the deadline, deaf to the interrupt
                }
                returned.incrementAndGet();
            }
        };
        try (CollectorRegistry registry = new CollectorRegistry(List.of(late), Duration.ofMillis(2),
                Clock.defaultClock())) {
            for (int i = 0; i < 100; i++) {
                Snapshot snapshot = registry.collect();
                assertThat(snapshot.family("test_value")).as("collection %d", i).isNull();
                assertThat(snapshot.outcome("late").status()).isIn(OutcomeStatus.UNAVAILABLE, OutcomeStatus.TIMEOUT);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < until && returned.get() < calls.get()) {
                    Thread.onSpinWait();
                }
            }
            assertThat(calls.get()).isGreaterThan(10);
            assertThat(registry.latest().family("test_value")).isNull();
        }
    }

    @Test
    void anUnavailableCollectorsLastReportIsCarriedWhenItsNextOneOverruns() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        Collector offline = new Collector() {
            public String name() {
                return "offline";
            }

            public boolean isAvailable() {
                return false;
            }

            public String unavailableReason() {
                return "connect: refused";
            }

            public void collect(CollectionContext context, CollectionOutput out) {
            }

            public void collectUnavailable(CollectionContext context, CollectionOutput out)
                    throws InterruptedException {
                out.gauge(VALUE, 0, "offline"); // connected 0
                if (hang.get()) {
                    release.await();
                }
            }
        };
        try (CollectorRegistry registry = new CollectorRegistry(List.of(offline), Duration.ofMillis(50),
                Clock.defaultClock())) {
            Snapshot first = registry.collect();
            assertThat(value(first, "test_value", "offline")).isEqualTo(0.0);
            hang.set(true);
            Snapshot second = registry.collect();
            // Its connected-0 series does not vanish for a snapshot; the outcome says what happened.
            assertThat(value(second, "test_value", "offline")).isEqualTo(0.0);
            CollectorOutcome outcome = second.outcome("offline");
            assertThat(outcome.status()).isEqualTo(OutcomeStatus.TIMEOUT);
            assertThat(outcome.stale()).isTrue();
            assertThat(outcome.dataCollectedAt()).isEqualTo(first.collectedAt());
            assertThat(outcome.error()).contains("source unavailable: connect: refused")
                    .contains("collectUnavailable exceeded the deadline");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aClosedRegistryCollectsNothingMoreEvenOnDemand() {
        AtomicInteger calls = new AtomicInteger();
        try (CollectorRegistry registry = new CollectorRegistry(
                List.of(TestCollectors.writing("counted", out -> calls.incrementAndGet())),
                Duration.ofMillis(200), Clock.defaultClock())) {
            Snapshot last = registry.collect();
            registry.close();
            assertThat(registry.collect()).isSameAs(last);
            assertThat(registry.latestWithin(Duration.ZERO)).isSameAs(last);
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void aCollectionThatRunsPastItsDeadlineIsCountedAsAnOverrun() {
        ManualClock clock = new ManualClock();
        java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean();
        try (CollectorRegistry registry = new CollectorRegistry(List.of(TestCollectors.writing("slow", out -> {
            if (slow.get()) {
                clock.advance(100, TimeUnit.MILLISECONDS);
            }
        })), Duration.ofMillis(50), clock)) {
            assertThat(registry.collect().family("tally_collection_overruns").samples().get(0).value()).isZero();
            slow.set(true);
            Snapshot overran = registry.collect();
            assertThat(overran.outcome("slow").status()).isEqualTo(OutcomeStatus.TIMEOUT);
            slow.set(false);
            assertThat(registry.collect().family("tally_collection_overruns").samples().get(0).value()).isEqualTo(1.0);
        }
    }

    private static double statusValue(Snapshot snapshot, String collector, String status) {
        for (Sample s : snapshot.family("tally_collector_status").samples()) {
            if (s.labelValues().equals(List.of(collector, status))) {
                return s.value();
            }
        }
        return Double.NaN;
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
            assertThat(wrote.await(30, TimeUnit.SECONDS)).isTrue();
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

            public String unavailableReason() {
                return "connect: broker refused the connection";
            }

            public void collectUnavailable(CollectionContext context, CollectionOutput out) {
                out.gauge(VALUE, 0, "offline"); // e.g. connected = 0
            }
        };
        // A deadline that a loaded machine cannot miss: the self-report is not about timing.
        try (CollectorRegistry registry = new CollectorRegistry(List.of(offline), Duration.ofSeconds(5),
                Clock.defaultClock())) {
            Snapshot snapshot = registry.collect();
            assertThat(calls.get()).isZero();
            assertThat(snapshot.outcome("offline").status()).isEqualTo(OutcomeStatus.UNAVAILABLE);
            assertThat(snapshot.outcome("offline").stale()).isFalse();
            assertThat(snapshot.outcome("offline").error())
                    .isEqualTo("source unavailable: connect: broker refused the connection");
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
