package io.tally.collectors.core;

import io.tally.collectors.core.catalog.TargetFact;

import java.util.concurrent.atomic.AtomicInteger;

/** Fake collectors for engine tests: real collectors are tested against their real sources. */
final class TestCollectors {
    static final MetricDescriptor VALUE = MetricDescriptor.gauge("test_value", "A test value.", "", "collector");

    private TestCollectors() {
    }

    record TestFact(String from) implements TargetFact {
    }

    static Collector constant(String name, double value) {
        return new Collector() {
            public String name() {
                return name;
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                out.gauge(VALUE, value, name);
                out.fact("target-a", new TestFact(name));
            }
        };
    }

    /** Sleeps until interrupted on every call; counts calls that are still inside collect(). */
    static final class SleepsForever implements Collector {
        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean sleep;

        SleepsForever(boolean sleepFromStart) {
            this.sleep = sleepFromStart;
        }

        public String name() {
            return "sleeper";
        }

        public boolean isAvailable() {
            return true;
        }

        public void collect(CollectionContext context, CollectionOutput out) throws InterruptedException {
            calls.incrementAndGet();
            live.incrementAndGet();
            try {
                out.gauge(VALUE, calls.get(), name());
                if (sleep) {
                    Thread.sleep(Long.MAX_VALUE);
                }
            } finally {
                live.decrementAndGet();
            }
        }
    }

    /** Writes whatever the test says, every call. */
    static Collector writing(String name, java.util.function.Consumer<CollectionOutput> body) {
        return new Collector() {
            public String name() {
                return name;
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                body.accept(out);
            }
        };
    }

    /** Once told to hang, never returns and never notices an interrupt, until released. */
    static final class IgnoresInterrupts implements Collector {
        final AtomicInteger calls = new AtomicInteger();
        private final String name;
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        volatile boolean hang;

        IgnoresInterrupts(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public boolean isAvailable() {
            return true;
        }

        public void collect(CollectionContext context, CollectionOutput out) {
            calls.incrementAndGet();
            out.gauge(VALUE, calls.get(), name);
            while (hang && released.getCount() > 0) {
                try {
                    released.await();
                } catch (InterruptedException ignored) {
                    // deaf on purpose: the engine must cope with collectors like this
                }
            }
        }

        void release() {
            released.countDown();
        }
    }

    static Collector throwing(String name) {
        return new Collector() {
            public String name() {
                return name;
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                throw new IllegalStateException("broker said no");
            }
        };
    }
}
