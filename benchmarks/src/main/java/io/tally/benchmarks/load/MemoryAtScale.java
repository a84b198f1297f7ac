package io.tally.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.app.trends.TrendStore;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorFactory;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.discovery.DiscoveryFactory;
import io.tally.collectors.health.HealthFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Retained heap at scale: N static targets discovered, each probed (against {@link TargetServer}
 * in its own JVM), a redis queue source and every collector family collected, and a trend store
 * holding what 24 h leave per series (the last hour at 15 s, the 23 h before at one point a
 * minute) for the system and every target. Run it with the heap cap to prove, e.g.
 * {@code java -Xmx512m -cp benchmarks.jar io.tally.benchmarks.load.MemoryAtScale 18999 10000}.
 */
public final class MemoryAtScale {
    private MemoryAtScale() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int targets = Integer.parseInt(args[1]);
        long baseline = usedAfterGc();
        ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
        StringBuilder sources = new StringBuilder("sources:\n  - type: static\n    targets:\n");
        for (int i = 0; i < targets; i++) {
            sources.append("      - { name: target-").append(i).append(", type: webhook, url: \"http://127.0.0.1:")
                    .append(port).append("/hook/").append(i).append("?token=SECRET").append(i).append("\" }\n");
        }
        try (StandaloneEnvironment environment = new StandaloneEnvironment()) {
            DiscoveryFactory.Components discovery = yaml.readValue(sources.toString(), DiscoveryFactory.class)
                    .build(environment);
            List<Collector> collectors = new ArrayList<>(discovery.collectors());
            collectors.add(yaml.readValue("interval: 30s\ntimeout: 5s\nconcurrency: 64\n", HealthFactory.class)
                    .build(environment));
            collectors.add(yaml.readValue("""
                    type: redis
                    name: redis
                    uri: "redis://127.0.0.1:6379"
                    queues: [ { name: publish.high, target: "*", capacity: 1000 }, { name: publish.low, target: "*" } ]
                    """, CollectorFactory.class).build(environment));
            environment.start();
            Snapshot snapshot;
            try (CollectorRegistry registry = new CollectorRegistry(collectors, Duration.ofSeconds(5), environment.clock())) {
                long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                do {
                    Thread.sleep(2000);
                    snapshot = registry.collect();
                } while (probed(snapshot) < targets && System.nanoTime() < until);
                long afterTargets = usedAfterGc();

                TrendStore store = new TrendStore(10 * targets + 100, 30 * 60_000L, 60_000L);
                fillDay(store, targets);
                // As the running service does every flush interval: older data coarse and in few chunks.
                store.compact(System.currentTimeMillis(), 24 * 3_600_000L, 3_600_000L, 60_000L);
                snapshot = registry.collect();
                long afterTrends = usedAfterGc();
                System.out.printf("| targets | probed | series in snapshot | collection | heap: baseline | + targets and collectors "
                        + "| + 24 h trends (%d series, %d points, %.1f MB compressed) | total | per target |%n",
                        store.seriesCount(), store.points(), store.bytes() / 1e6);
                System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
                System.out.printf("| %d | %d | %d | %.1f ms | %.0f MB | %.0f MB | %.0f MB | %.0f MB | %.1f KB |%n",
                        targets, probed(snapshot), snapshot.seriesCount(), snapshot.duration().toNanos() / 1e6,
                        baseline / 1e6, (afterTargets - baseline) / 1e6, (afterTrends - afterTargets) / 1e6,
                        afterTrends / 1e6, (afterTrends - baseline) / 1e3 / targets);
                System.out.printf("max heap %.0f MB%n", Runtime.getRuntime().maxMemory() / 1e6);
                if (store.points() == 0) {
                    throw new IllegalStateException("store empty");
                }
            }
        }
    }

    private static long probed(Snapshot snapshot) {
        var up = snapshot.family("tally_target_up");
        return up == null ? 0 : up.samples().size();
    }

    /** What 24 h leave after compaction: 23 h at one point a minute, then one hour at 15 s. */
    private static void fillDay(TrendStore store, int targets) {
        Random random = new Random(5);
        long now = System.currentTimeMillis();
        long start = now - 24 * 3_600_000L;
        double[] depth = new double[targets];
        Map<String, Double> points = new HashMap<>();
        for (long t = start; t <= now; t += t < now - 3_600_000L ? 60_000L : 15_000L) {
            points.clear();
            for (int i = 0; i < targets; i++) {
                depth[i] = Math.max(0, depth[i] + random.nextInt(3) - 1);
                double ratio = random.nextInt(100) == 0 ? 0.97 : 1.0;
                points.put("target:target-" + i + ":success_ratio", ratio);
                points.put("target:target-" + i + ":error_ratio", 1 - ratio);
                points.put("target:target-" + i + ":latency_p95_seconds", 0.010 + random.nextInt(8) / 1000.0);
                points.put("target:target-" + i + ":queue_depth", depth[i]);
            }
            points.put("system:success_ratio", 0.999);
            points.put("system:healthy_targets", (double) targets);
            store.append(t, points);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
