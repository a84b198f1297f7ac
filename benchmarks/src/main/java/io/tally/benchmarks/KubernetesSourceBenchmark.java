package io.tally.benchmarks;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.tally.collectors.discovery.SourceResult;
import io.tally.collectors.discovery.source.KubernetesEntries;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the {@code kubernetes} discovery source does with its informer caches on each lookup: N
 * labelled Secrets, as the API serves them (base64 data), in two namespaces, turned into targets:
 * decoding, the flat keys into an entry, the file entries' validation, duplicate names. One in
 * twenty is refused (an ftp URL), one in fifty skipped (a TLS Secret), as a real namespace would
 * hold a few.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KubernetesSourceBenchmark {
    @Param({"100", "1000"})
    public int secrets;

    private List<Secret> objects;
    private final KubernetesEntries entries = new KubernetesEntries("webhook", false, List.of(KubernetesEntries.SECRET));

    @Setup
    public void setUp() {
        objects = new ArrayList<>();
        for (int i = 0; i < secrets; i++) {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("url", i % 20 == 7 ? "ftp://files.example.test/" + i
                    : "https://hooks.slack.com/services/T0" + i + "/B0" + i + "/"
                    // A token-shaped path segment, as real Slack hook URLs carry, so redaction does its full work.
                    + String.format(java.util.Locale.ROOT, "%024x", 0x5eed_0000L + i));
            data.put("type", "slack");
            data.put("labels.team", "team-" + (i % 10));
            data.put("probe.timeout", "2s");
            Map<String, String> encoded = new LinkedHashMap<>();
            data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
            objects.add(new SecretBuilder().withNewMetadata().withName("hook-" + i)
                    .withNamespace(i % 2 == 0 ? "payments" : "alerts").withResourceVersion(Integer.toString(i))
                    .addToLabels("tally.io/target", "true").endMetadata()
                    .withType(i % 50 == 3 ? "kubernetes.io/tls" : "Opaque").withData(encoded).build());
        }
        SourceResult result = entries.read("k8s", objects);
        System.out.printf("%n[%d secrets: %d targets, %d invalid, counts %s]%n", secrets, result.targets().size(),
                result.invalid().size(), result.objectCounts());
    }

    @Benchmark
    public SourceResult secretsToTargets() {
        return entries.read("k8s", objects);
    }

    /**
     * The same work timed in CPU time of the running thread (best of 5 rounds after a warm-up), for
     * a machine too busy for wall-clock figures: {@code java -cp benchmarks.jar
     * io.tally.benchmarks.KubernetesSourceBenchmark}.
     */
    public static void main(String[] args) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int n : new int[] {100, 1000}) {
            KubernetesSourceBenchmark benchmark = new KubernetesSourceBenchmark();
            benchmark.secrets = n;
            benchmark.setUp();
            int repetitions = 200_000 / n;
            for (int i = 0; i < repetitions; i++) {
                benchmark.secretsToTargets();
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < repetitions; i++) {
                    benchmark.secretsToTargets();
                }
                best = Math.min(best, (threads.getCurrentThreadCpuTime() - start) / repetitions);
            }
            System.out.printf("%d secrets: %.1f us CPU per lookup, %.2f us per secret%n", n, best / 1e3, best / 1e3 / n);
        }
    }
}
