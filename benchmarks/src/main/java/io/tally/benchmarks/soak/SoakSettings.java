package io.tally.benchmarks.soak;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the soak was told by {@code benchmarks/soak/run.sh}: where Tally and its peers are, and the
 * figures of Tally's configuration that the criteria are computed from (the script writes both the
 * config and these arguments, so they cannot disagree).
 */
record SoakSettings(String tally, String targetServerStatus, Path pidFile, Path gcLog, Path work, Path report,
                    int proxyPort, int redisPort, String redisKey, int garbagePort, String queueSource,
                    String publisher, int durationSeconds, int warmupSeconds, int flapSeconds, int sampleSeconds,
                    int stalled, int healthy, double healthInterval, double healthTimeout, int unhealthyAfter,
                    double pollInterval, double queueTimeout, double publisherInterval, double deadline,
                    double maxAge, int concurrency, int statsConnections, int metricsConnections, String machine,
                    String tallyHeap) {

    static SoakSettings parse(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("arguments are --name=value, not " + arg);
            }
            a.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return new SoakSettings(req(a, "tally"), req(a, "target-status"), Path.of(req(a, "pid-file")),
                Path.of(req(a, "gc-log")), Path.of(req(a, "work")), Path.of(req(a, "report")),
                num(a, "proxy-port"), num(a, "redis-port"), req(a, "redis-key"), num(a, "garbage-port"),
                req(a, "queue-source"), req(a, "publisher"), num(a, "duration"), num(a, "warmup"), num(a, "flap"),
                num(a, "sample"), num(a, "stalled"), num(a, "healthy"), dec(a, "health-interval"),
                dec(a, "health-timeout"), num(a, "unhealthy-after"), dec(a, "poll-interval"), dec(a, "queue-timeout"),
                dec(a, "publisher-interval"), dec(a, "deadline"), dec(a, "max-age"), num(a, "concurrency"),
                num(a, "stats-connections"), num(a, "metrics-connections"), a.getOrDefault("machine", ""),
                a.getOrDefault("tally-heap", "?"));
    }

    private static String req(Map<String, String> a, String key) {
        String value = a.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + key + "=...");
        }
        return value;
    }

    private static int num(Map<String, String> a, String key) {
        return Integer.parseInt(req(a, key));
    }

    private static double dec(Map<String, String> a, String key) {
        return Double.parseDouble(req(a, key));
    }

    /** The bound on a stalled target becoming unhealthy, from issue 10: unhealthyAfter × (interval + timeout). */
    double stalledUnhealthyBound() {
        return unhealthyAfter * (healthInterval + healthTimeout);
    }
}
