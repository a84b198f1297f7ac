package io.tally.collectors.health;

import com.codahale.metrics.Clock;
import io.dropwizard.lifecycle.Managed;
import io.tally.collectors.core.BucketHistogram;
import io.tally.collectors.core.BusyGuard;
import io.tally.collectors.core.FragmentMemo;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.core.catalog.TargetSet;
import io.tally.collectors.core.http.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Probes every enabled target on one shared schedule. Each target fires at a stable offset inside
 * the interval (a hash of its name, as Prometheus spreads scrapes) plus optional jitter, so that
 * thousands of probes do not start in the same millisecond. Probes run on virtual threads, at most
 * {@code concurrency} at once. The target list follows the {@link TargetCatalog}: an added target
 * is scheduled, a removed one is cancelled and forgotten.
 */
public final class HealthProber implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(HealthProber.class);

    private final TargetCatalog catalog;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final double jitter;
    private final ProbeSettings defaults;
    private final HealthRules rules;
    private final Semaphore permits;
    private final HttpProbe http;
    private final TcpProbe tcp;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final LongAdder skipped = new LongAdder();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopped;

    HealthProber(TargetCatalog catalog, Clock clock, ScheduledExecutorService scheduler, Duration interval,
                 double jitter, int concurrency, ProbeSettings defaults, HealthRules rules, ProbeNetworks networks,
                 String userAgent, long maxBodyBytes) {
        this.catalog = catalog;
        this.clock = clock;
        this.scheduler = scheduler;
        this.interval = interval;
        this.jitter = jitter;
        this.defaults = defaults;
        this.rules = rules;
        this.permits = new Semaphore(concurrency);
        this.http = new HttpProbe(userAgent, maxBodyBytes, networks);
        this.tcp = new TcpProbe(networks);
    }

    @Override
    public void start() throws Exception {
        http.start();
        catalog.subscribe(this::follow);
        follow(catalog.current());
    }

    /** Stops probing; the last known states stay readable. */
    @Override
    public void stop() throws Exception {
        stopped = true;
        for (Slot slot : slots.values()) {
            slot.schedule.cancel(false);
        }
        http.stop();
    }

    /** The latest health of every probed target. */
    public Collection<TargetHealth> states() {
        List<TargetHealth> out = new ArrayList<>(slots.size());
        for (Slot slot : slots.values()) {
            out.add(slot.health);
        }
        return out;
    }

    /** Visits every target's latest health, its latency histogram and its series memo, without copying. */
    void forEachSlot(SlotVisitor visitor) {
        for (Slot slot : slots.values()) {
            visitor.visit(slot.health, slot.latencies, slot.series);
        }
    }

    @FunctionalInterface
    interface SlotVisitor {
        void visit(TargetHealth health, BucketHistogram latencies, FragmentMemo series);
    }

    long skipped() {
        return skipped.sum();
    }

    int running() {
        return running.get();
    }

    private synchronized void follow(TargetSet targets) {
        if (stopped) {
            return;
        }
        Set<String> wanted = new HashSet<>();
        for (Target target : targets.targets()) {
            if (!target.enabled()) {
                continue;
            }
            wanted.add(target.name());
            Slot slot = slots.get(target.name());
            if (slot == null) {
                Slot created = new Slot(target, skipped);
                slots.put(target.name(), created);
                long period = interval.toMillis();
                created.schedule = scheduler.scheduleAtFixedRate(() -> due(created), offsetMillis(target.name(), period),
                        period, TimeUnit.MILLISECONDS);
            } else if (!slot.health.target().equals(target)) {
                slot.health = slot.health.withTarget(target);
            }
        }
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            if (!wanted.contains(entry.getKey())) {
                entry.getValue().schedule.cancel(false);
                slots.remove(entry.getKey());
            }
        }
    }

    /** A stable place for the target inside the interval, from its name. */
    static long offsetMillis(String name, long periodMillis) {
        long h = name.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return Math.floorMod(h, Math.max(1, periodMillis));
    }

    private void due(Slot slot) {
        if (stopped) {
            return;
        }
        if (!slot.busy.tryEnter()) {
            return;
        }
        Thread.ofVirtual().name("tally-probe").start(() -> {
            try {
                if (jitter > 0) {
                    Thread.sleep((long) (ThreadLocalRandom.current().nextDouble() * jitter * interval.toMillis()));
                }
                permits.acquire();
                running.incrementAndGet();
                try {
                    probe(slot);
                } finally {
                    running.decrementAndGet();
                    permits.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("Probe of {} failed unexpectedly: {}", slot.health.target().name(),
                        slot.health.target().url().scrub(String.valueOf(e.getMessage())));
            } finally {
                slot.busy.leave();
            }
        });
    }

    /**
     * One probe under one deadline of the target's timeout: the deny-list's name resolution, the
     * connect, the request and the whole response all come out of it, so the permit this runs under
     * is held for the timeout at most (plus the time to judge the answer).
     */
    private void probe(Slot slot) throws InterruptedException {
        Target target = slot.health.target();
        ProbeSettings settings = defaults.overriddenBy(target.probe());
        RedactedUrl url = target.url();
        Deadline deadline = Deadline.after(settings.timeout());
        ProbeResult result = url.scheme().equals("tcp") ? tcp.probe(url, deadline) : http.probe(url, settings, deadline);
        slot.latencies.observe(result.latencySeconds());
        if (slots.get(target.name()) == slot) {
            slot.health = slot.health.next(result, Instant.ofEpochMilli(clock.getTime()), rules);
        }
    }

    /** One target's schedule and latest health; {@code health} is swapped whole after each probe. */
    private static final class Slot {
        /** Entered when the probe comes due, left by the probe's thread; skips count into the prober's total. */
        final BusyGuard busy;
        final BucketHistogram latencies = new BucketHistogram(HealthMetrics.LATENCY);
        /** The target's series, rebuilt when {@code health} is swapped (the histogram is observed just before). */
        final FragmentMemo series = new FragmentMemo();
        volatile TargetHealth health;
        volatile ScheduledFuture<?> schedule;

        Slot(Target target, LongAdder skipped) {
            this.busy = new BusyGuard(skipped);
            this.health = TargetHealth.unknown(target);
        }
    }
}
