package io.tally.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.management.OperatingSystemMXBean;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetSet;
import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.health.HealthFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Holds N targets on the health prober at a given interval against a {@link TargetServer} and
 * reports whether it kept up. Usage: {@code ProberLoad <server-port> <targets> <interval-s> <duration-s>}.
 * Prints one table: probes made and expected, slots skipped (falling behind), process CPU per probe,
 * heap after GC.
 */
public final class ProberLoad {
    private ProberLoad() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int targets = Integer.parseInt(args[1]);
        int intervalSeconds = Integer.parseInt(args[2]);
        int durationSeconds = Integer.parseInt(args[3]);
        ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
        try (StandaloneEnvironment environment = new StandaloneEnvironment()) {
            Collector health = yaml.readValue("interval: " + intervalSeconds + "s\ntimeout: 5s\nconcurrency: 64\n",
                    HealthFactory.class).build(environment);
            List<Target> list = new ArrayList<>(targets);
            for (int i = 0; i < targets; i++) {
                list.add(new Target("target-" + i, TargetType.WEBHOOK,
                        RedactedUrl.parse("http://127.0.0.1:" + port + "/hook/" + i), true, Map.of(), "load", null));
            }
            environment.targets().publish(new TargetSet(list, Instant.now()));
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            long wallStart = System.nanoTime();
            environment.start();
            try (CollectorRegistry registry = new CollectorRegistry(List.of(health), Duration.ofSeconds(5),
                    environment.clock())) {
                Thread.sleep(durationSeconds * 1000L);
                long cpu = os.getProcessCpuTime() - cpuStart;
                double wall = (System.nanoTime() - wallStart) / 1e9;
                Snapshot snapshot = registry.collect();
                double checks = sum(snapshot.family("tally_target_checks"));
                double failures = sum(snapshot.family("tally_target_check_failures"));
                double skipped = sum(snapshot.family("tally_health_probes_skipped"));
                double expected = targets * (wall / intervalSeconds);
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.printf("| targets | interval | wall s | probes | expected ~ | failures | skipped | CPU s | CPU per probe | CPU share of 2 cores | heap after GC |%n");
                System.out.printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |%n");
                System.out.printf("| %d | %ds | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.0f us | %.1f %% | %.0f MB |%n",
                        targets, intervalSeconds, wall, checks, expected, failures, skipped, cpu / 1e9,
                        checks == 0 ? 0 : cpu / 1e3 / checks, 100.0 * cpu / 1e9 / wall / 2, heap / 1e6);
            }
        }
    }

    private static double sum(MetricFamily family) {
        if (family == null) {
            return 0;
        }
        double total = 0;
        for (Sample s : family.samples()) {
            total += s.value();
        }
        return total;
    }
}
