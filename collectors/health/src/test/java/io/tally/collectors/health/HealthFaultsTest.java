package io.tally.collectors.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetSet;
import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.core.http.MisbehavingPeer;
import io.tally.collectors.core.http.MisbehavingPeer.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real faults on loopback, each a failed probe of a fixed class within the design's bound, and each
 * target probed again as soon as it behaves. Detection is measured from the start of probing (the
 * fault is there from the start); recovery from the moment the peer behaves again.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HealthFaultsTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private static final Duration INTERVAL = Duration.ofMillis(1500);
    /** Long enough to read a 1 MiB body on a busy machine: the 50 MB cases must fail as body, not timeout. */
    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private static final int UNHEALTHY_AFTER = 3;
    /** The done-when bound: unhealthy within unhealthyAfter × (interval + timeout). */
    private static final double CRITERION_SECONDS = UNHEALTHY_AFTER * (INTERVAL.toMillis() + TIMEOUT.toMillis()) / 1000.0;
    /** Room for a machine busy with other builds; the measured figures are printed. */
    private static final double SCHEDULING_SLACK_SECONDS = 1.0;

    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final List<MisbehavingPeer> peers = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        environment.close();
        for (MisbehavingPeer peer : peers) {
            peer.close();
        }
    }

    private MisbehavingPeer peer(Mode mode) throws Exception {
        MisbehavingPeer peer = new MisbehavingPeer(mode);
        peers.add(peer);
        return peer;
    }

    private static Target target(String name, String url) {
        return new Target(name, TargetType.WEBHOOK, RedactedUrl.parse(url), true, Map.of(), "static", null);
    }

    private HealthProber start(String yaml, List<Target> targets) throws Exception {
        HealthProber prober = YAML.readValue(yaml, HealthFactory.class).buildProber(environment);
        environment.manage(prober);
        environment.targets().publish(new TargetSet(targets, Instant.now()));
        environment.start();
        return prober;
    }

    private static TargetHealth health(HealthProber prober, String name) {
        return prober.states().stream().filter(h -> h.target().name().equals(name)).findFirst().orElse(null);
    }

    /** Seconds from {@code since} until the target meets the condition; fails after {@code within}. */
    private static double secondsUntil(HealthProber prober, String name, Predicate<TargetHealth> condition,
                                       long since, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        TargetHealth last = null;
        while (System.nanoTime() < until) {
            last = health(prober, name);
            if (last != null && condition.test(last)) {
                return (System.nanoTime() - since) / 1e9;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(name + " did not reach the condition within " + within + "; last: "
                + (last == null ? null : last.status() + " checks=" + last.checks() + " error=" + last.lastErrorClass()
                + " " + last.lastError()));
    }

    /**
     * Seconds from {@code since} until each target first met its condition, all watched together so
     * that each figure is the target's own; fails after {@code within}.
     */
    private static Map<String, Double> secondsUntilEach(HealthProber prober, Map<String, Predicate<TargetHealth>> conditions,
                                                        long since, Duration within) throws InterruptedException {
        Map<String, Double> met = new LinkedHashMap<>();
        long until = System.nanoTime() + within.toNanos();
        while (met.size() < conditions.size() && System.nanoTime() < until) {
            for (TargetHealth h : prober.states()) {
                String name = h.target().name();
                Predicate<TargetHealth> condition = conditions.get(name);
                if (condition != null && !met.containsKey(name) && condition.test(h)) {
                    met.put(name, (System.nanoTime() - since) / 1e9);
                }
            }
            Thread.sleep(5);
        }
        for (String name : conditions.keySet()) {
            if (!met.containsKey(name)) {
                TargetHealth last = health(prober, name);
                throw new AssertionError(name + " did not reach the condition within " + within + "; last: "
                        + (last == null ? null : last.status() + " checks=" + last.checks() + " error="
                        + last.lastErrorClass() + " " + last.lastError()));
            }
        }
        return met;
    }

    private static Predicate<TargetHealth> unhealthyWith(String errorClass) {
        return h -> h.status() == HealthStatus.UNHEALTHY && errorClass.equals(h.lastErrorClass());
    }

    private static void fault(String fault, String shows, double detected, String recovered) {
        System.out.println("FAULT| " + fault + " | " + shows + " | detected in "
                + String.format(Locale.ROOT, "%.2f s", detected) + " | recovered in " + recovered);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    private record Case(String target, String fault, String errorClass, MisbehavingPeer peer) {
    }

    @Test
    void eachFaultIsAFailedProbeOfItsClassWithinTheBoundAndRecovers() throws Exception {
        MisbehavingPeer stalled = peer(Mode.STALL_AFTER_HEADERS);
        MisbehavingPeer silent = peer(Mode.SILENT);
        MisbehavingPeer reset = peer(Mode.RESET);
        MisbehavingPeer tlsStall = peer(Mode.SILENT);
        MisbehavingPeer hugeChunked = peer(Mode.HUGE_CHUNKED);
        MisbehavingPeer hugeDeclared = peer(Mode.HUGE_DECLARED);
        List<Case> cases = List.of(
                new Case("stalled-body", "target stalls after the headers (200, Content-Length 100, then nothing)",
                        "timeout", stalled),
                new Case("silent", "target accepts the connection and never answers", "timeout", silent),
                new Case("reset", "target resets the connection after the request", "connect", reset),
                new Case("tls-stall", "TLS handshake stalls (TCP accepted, ClientHello never answered)", "timeout",
                        null),
                new Case("unresolvable", "target name does not resolve (.invalid)", "dns", null),
                new Case("tcp-unresolvable", "tcp:// target name does not resolve (.invalid)", "dns", null),
                new Case("huge-body", "target sends a 50 MB chunked body", "body", hugeChunked),
                new Case("huge-declared", "target declares and sends a 50 MB body", "body", hugeDeclared));
        Map<String, String> urls = Map.of(
                "stalled-body", stalled.url("http"), "silent", silent.url("http"), "reset", reset.url("http"),
                "tls-stall", tlsStall.url("https"),
                "unresolvable", "http://tally-fault-test.invalid/health?token=SECRETXYZ",
                "tcp-unresolvable", "tcp://tally-fault-test.invalid:80",
                "huge-body", hugeChunked.url("http"), "huge-declared", hugeDeclared.url("http"));
        List<Target> targets = cases.stream().map(c -> target(c.target(), urls.get(c.target()))).toList();

        long start = System.nanoTime();
        HealthProber prober = start("""
                interval: 1500ms
                timeout: 800ms
                unhealthyAfter: 3
                """, targets);

        Map<String, Predicate<TargetHealth>> failing = new LinkedHashMap<>();
        cases.forEach(c -> failing.put(c.target(), unhealthyWith(c.errorClass())));
        Map<String, Double> detected = secondsUntilEach(prober, failing, start, Duration.ofSeconds(30));
        for (Case c : cases) {
            TargetHealth h = health(prober, c.target());
            assertThat(h.lastError()).as(c.target()).doesNotContain("SECRETXYZ");
            // Every probe of the target failed the same way: no probe was lost or left hanging. Reading
            // 1 MiB of a flood can also run out of time on a busy machine: that is still a failure.
            if (c.errorClass().equals("body")) {
                assertThat(h.failuresByClass()).as(c.target()).containsKey("body");
                assertThat(h.failuresByClass().keySet()).as(c.target()).isSubsetOf("body", "timeout");
            } else {
                assertThat(h.failuresByClass()).as(c.target()).containsOnlyKeys(c.errorClass());
            }
        }
        assertThat(health(prober, "stalled-body").lastError()).contains("body incomplete after 800 ms (0 of 100 bytes)");
        assertThat(health(prober, "huge-body").lastError()).contains("larger than the limit of 1048576 bytes");
        assertThat(health(prober, "huge-declared").lastError()).contains("body of 52428800 bytes is over the limit");
        // Each 50 MB body was cut at the limit: the peer could write the limit and the sockets' buffers, no more.
        assertThat(hugeChunked.bodyBytesWritten.get()).isLessThan(MisbehavingPeer.FIFTY_MB / 2);
        assertThat(hugeDeclared.bodyBytesWritten.get()).isLessThan(MisbehavingPeer.FIFTY_MB / 2);
        // A stalled exchange is cancelled, not left open: the peers saw the probes hang up.
        assertThat(stalled.hungUp.get()).isGreaterThanOrEqualTo(UNHEALTHY_AFTER - 1);
        assertThat(tlsStall.hungUp.get()).isGreaterThanOrEqualTo(UNHEALTHY_AFTER - 1);
        detected.forEach((name, s) -> assertThat(s).as(name + " unhealthy within unhealthyAfter × (interval + timeout)")
                .isLessThanOrEqualTo(CRITERION_SECONDS + SCHEDULING_SLACK_SECONDS));

        // The peers that can behave again do; each target is healthy again from its next probe on.
        Map<String, Predicate<TargetHealth>> healthy = new LinkedHashMap<>();
        long behaving = System.nanoTime();
        for (Case c : cases) {
            if (c.peer() != null) {
                c.peer().become(Mode.OK);
                healthy.put(c.target(), h -> h.status() == HealthStatus.HEALTHY);
            }
        }
        Map<String, Double> recovered = secondsUntilEach(prober, healthy, behaving, Duration.ofSeconds(10));
        recovered.forEach((name, s) -> assertThat(s).as(name + " healthy from its next probe on")
                .isLessThanOrEqualTo(INTERVAL.toMillis() / 1000.0 + TIMEOUT.toMillis() / 1000.0
                        + SCHEDULING_SLACK_SECONDS));
        for (Case c : cases) {
            String recovery = recovered.containsKey(c.target()) ? seconds(recovered.get(c.target()))
                    : "n/a (the fault stays)";
            fault(c.fault(), "health unhealthy, class " + c.errorClass() + ", tally_target_check_failures_total{error=\""
                    + c.errorClass() + "\"}", detected.get(c.target()), recovery);
        }
        System.out.printf(Locale.ROOT, "bound unhealthyAfter × (interval + timeout) = %.1f s; measured %s%n",
                CRITERION_SECONDS, detected);
    }

    @Test
    void theDenyListsNameResolutionIsInsideTheProbesDeadline() throws Exception {
        MisbehavingPeer stalled = peer(Mode.STALL_AFTER_HEADERS);
        HealthProber prober = start("""
                interval: 1s
                timeout: 300ms
                unhealthyAfter: 3
                denyNetworks: [ "10.0.0.0/8" ]
                """, List.of(target("stalled-body", stalled.url("http")),
                target("unresolvable", "http://tally-fault-test.invalid/health"),
                target("tcp-unresolvable", "tcp://tally-fault-test.invalid:80")));
        long start = System.nanoTime();
        secondsUntil(prober, "stalled-body", unhealthyWith("timeout"), start, Duration.ofSeconds(30));
        secondsUntil(prober, "unresolvable", unhealthyWith("dns"), start, Duration.ofSeconds(30));
        secondsUntil(prober, "tcp-unresolvable", unhealthyWith("dns"), start, Duration.ofSeconds(30));
        assertThat(health(prober, "unresolvable").lastError()).isEqualTo("cannot resolve tally-fault-test.invalid");
    }

    /**
     * 64 targets that stall after the headers, with {@code concurrency: 64}: each holds a permit for
     * its timeout at most, so the healthy targets keep being probed every interval. Before the body
     * was under the deadline, the stalled probes kept all 64 permits forever and nothing else ran.
     */
    @Test
    void sixtyFourStalledTargetsDoNotStopTheProbingOfTheOthers() throws Exception {
        MisbehavingPeer stalled = peer(Mode.STALL_AFTER_HEADERS);
        TestServers servers = new TestServers();
        try {
            String ok = servers.http(200, "ok", 0);
            List<Target> targets = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                targets.add(target("stalled-" + i, stalled.url("http") + "&n=" + i));
            }
            for (int i = 0; i < 8; i++) {
                targets.add(target("healthy-" + i, ok + "?n=" + i));
            }
            long start = System.nanoTime();
            HealthProber prober = start("""
                    interval: 1s
                    timeout: 500ms
                    unhealthyAfter: 3
                    concurrency: 64
                    """, targets);

            // Once every stalled target has been probed (each probe holding a permit while it waits),
            // the healthy ones must still be probed every interval: 4 more probes each within 5 intervals.
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (stalled.accepted.get() < 64 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(stalled.accepted.get()).as("every stalled target probed").isGreaterThanOrEqualTo(64);
            Map<String, Long> before = new HashMap<>();
            for (int i = 0; i < 8; i++) {
                TargetHealth h = health(prober, "healthy-" + i);
                before.put("healthy-" + i, h.checks());
            }
            long window = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                String name = "healthy-" + i;
                long from = before.get(name);
                secondsUntil(prober, name, h -> h.checks() >= from + 4, window,
                        INTERVAL.multipliedBy(5).plusSeconds(1));
                assertThat(health(prober, name).status()).isEqualTo(HealthStatus.HEALTHY);
            }
            double windowSeconds = (System.nanoTime() - window) / 1e9;

            Map<String, Predicate<TargetHealth>> stalledUnhealthy = new LinkedHashMap<>();
            for (int i = 0; i < 64; i++) {
                stalledUnhealthy.put("stalled-" + i, unhealthyWith("timeout"));
            }
            double allStalledUnhealthy = secondsUntilEach(prober, stalledUnhealthy, start, Duration.ofSeconds(30))
                    .values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            // 72 probes share 64 permits here, so a stalled probe may also wait for one: a second more.
            assertThat(allStalledUnhealthy).as("all 64 unhealthy within unhealthyAfter × (interval + timeout)")
                    .isLessThanOrEqualTo(UNHEALTHY_AFTER * 1.5 + SCHEDULING_SLACK_SECONDS + 1.0);
            // Skipped slots are not asserted: a stalled probe that waited for a permit and then its
            // timeout may still run at its next slot on a busy machine, which is what skipping is for;
            // the healthy targets' four probes in five intervals above are the point.
            try (CollectorRegistry registry = new CollectorRegistry(List.of(new HealthCollector(prober)),
                    Duration.ofSeconds(1), environment.clock())) {
                double unhealthy = registry.collect().family("tally_health_targets").samples().stream()
                        .filter(s -> s.labelValues().get(0).equals("unhealthy")).mapToDouble(Sample::value).sum();
                assertThat(unhealthy).isEqualTo(64);
            }
            fault("64 targets stall after the headers, concurrency 64",
                    "the 64 unhealthy class timeout (tally_health_targets{status=\"unhealthy\"} 64); the 8 others "
                            + "probed every interval (4 probes each in " + seconds(windowSeconds) + ")",
                    allStalledUnhealthy, "n/a (the fault stays; the others never stop)");
        } finally {
            servers.close();
        }
    }
}
