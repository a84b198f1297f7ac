package io.tally.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.tally.app.sharding.Rendezvous;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.discovery.DiscoveryFactory;

import java.lang.management.ManagementFactory;

/**
 * What a sharded replica pays for the targets it discovers but does not own: every replica
 * discovers every target (the rendezvous hash needs the names), so its heap holds the whole target
 * set and discovery's state for it, beside the owned targets' probes, series and trends
 * ({@link MemoryAtScale}). Builds the static discovery of N targets, lets its first refresh publish
 * them, and prints the heap after GC over the baseline, and the time to assign all N names to
 * {@code shards} shards. Usage: {@code DiscoveredOnly <targets> <shards>}.
 */
public final class DiscoveredOnly {
    private DiscoveredOnly() {
    }

    public static void main(String[] args) throws Exception {
        int targets = Integer.parseInt(args[0]);
        int shards = Integer.parseInt(args[1]);
        long baseline = usedAfterGc();
        // JSON rather than YAML: 100 000 entries are past SnakeYAML's 3 MB document limit.
        ObjectMapper json = Jackson.newObjectMapper();
        StringBuilder sources = new StringBuilder("{\"sources\": [{\"type\": \"static\", \"targets\": [");
        for (int i = 0; i < targets; i++) {
            sources.append(i == 0 ? "" : ",").append("{\"name\": \"target-").append(i)
                    .append("\", \"type\": \"webhook\", \"url\": \"http://10.0.").append(i / 250 % 250).append('.')
                    .append(i % 250 + 1).append(":8080/hook/").append(i).append("?token=SECRET").append(i)
                    .append("\", \"labels\": {\"team\": \"team-").append(i % 20).append("\"}}");
        }
        sources.append("]}]}");
        try (StandaloneEnvironment environment = new StandaloneEnvironment()) {
            json.readValue(sources.toString(), DiscoveryFactory.class).build(environment);
            sources = null;
            environment.start();
            long until = System.nanoTime() + 60_000_000_000L;
            while (environment.targets().current().size() < targets && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            long after = usedAfterGc();
            int[] owned = new int[shards];
            long start = System.nanoTime();
            for (var target : environment.targets().current().targets()) {
                owned[Rendezvous.owner(target.name(), shards)]++;
            }
            double assignMs = (System.nanoTime() - start) / 1e6;
            System.out.printf("| discovered | heap over baseline | per discovered target | assign all to %d shards | "
                    + "smallest / largest shard |%n", shards);
            System.out.println("| --- | --- | --- | --- | --- |");
            System.out.printf("| %d | %.1f MB | %.2f KB | %.1f ms | %d / %d |%n", environment.targets().current().size(),
                    (after - baseline) / 1e6, (after - baseline) / 1e3 / targets, assignMs,
                    java.util.Arrays.stream(owned).min().orElse(0), java.util.Arrays.stream(owned).max().orElse(0));
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
