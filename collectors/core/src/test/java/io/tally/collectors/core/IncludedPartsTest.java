package io.tally.collectors.core;

import com.codahale.metrics.Clock;
import io.tally.collectors.core.catalog.TargetFact;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Collectors that build a part once per state and include it: the engine reuses what it assembled
 * while the states stay the same objects, and picks up a changed state at once.
 */
class IncludedPartsTest {
    static final MetricDescriptor UP = MetricDescriptor.gauge("test_up", "Up.", "", "target");
    static final MetricDescriptor CHECKS = MetricDescriptor.counter("test_checks", "Checks.", "", "target");
    static final MetricDescriptor TOTAL = MetricDescriptor.gauge("test_targets", "Targets.", "");

    record Health(String target, boolean up, long checks) {
    }

    record HealthFact(boolean up) implements TargetFact {
    }

    /** One memo per target, as the health prober keeps one per slot; a total written afresh each time. */
    static final class PerTarget implements Collector {
        final Map<String, Health> states = new ConcurrentHashMap<>();
        final Map<String, FragmentMemo> memos = new ConcurrentHashMap<>();
        volatile List<String> order;
        volatile int builds;

        PerTarget(List<String> targets) {
            this.order = targets;
            targets.forEach(this::add);
        }

        void add(String t) {
            states.put(t, new Health(t, true, 1));
            memos.put(t, new FragmentMemo());
        }

        public String name() {
            return "per-target";
        }

        public boolean isAvailable() {
            return true;
        }

        public void collect(CollectionContext context, CollectionOutput out) {
            for (String target : order) {
                out.include(memos.get(target).get(states.get(target), this::write));
            }
            out.gauge(TOTAL, order.size());
        }

        private void write(Health h, CollectionOutput out) {
            builds++;
            out.gauge(UP, h.up() ? 1 : 0, h.target());
            out.counter(CHECKS, h.checks(), h.target());
            out.fact(h.target(), new HealthFact(h.up()));
        }
    }

    private static double value(Snapshot s, String family, String target) {
        return s.family(family).samples().stream().filter(x -> x.labelValues().get(0).equals(target))
                .findFirst().orElseThrow().value();
    }

    @Test
    void unchangedStatesAreReusedAndAChangeIsSeenInTheNextSnapshot() {
        PerTarget collector = new PerTarget(List.of("a", "b", "c"));
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(5),
                Clock.defaultClock())) {
            Snapshot first = registry.collect();
            assertThat(collector.builds).isEqualTo(3);
            assertThat(first.family("test_up").samples()).extracting(x -> x.labelValues().get(0))
                    .containsExactly("a", "b", "c");
            assertThat(first.family("test_targets").samples().get(0).value()).isEqualTo(3);

            Snapshot second = registry.collect();
            assertThat(collector.builds).isEqualTo(3);
            assertThat(second.family("test_up")).isSameAs(first.family("test_up"));
            assertThat(second.targets()).isSameAs(first.targets());
            assertThat(second.sequence()).isEqualTo(first.sequence() + 1);

            collector.states.put("b", new Health("b", false, 2));
            Snapshot third = registry.collect();
            assertThat(collector.builds).isEqualTo(4);
            assertThat(value(third, "test_up", "b")).isZero();
            assertThat(value(third, "test_checks", "b")).isEqualTo(2);
            assertThat(value(third, "test_up", "a")).isEqualTo(1);
            assertThat(third.targets()).isNotSameAs(second.targets());
            assertThat(third.targets().facts("b", HealthFact.class)).containsExactly(new HealthFact(false));
            assertThat(third.targets().targets()).containsExactly("a", "b", "c");

            // An equal but new state object is a change too: identity, not equality, decides.
            collector.states.put("b", new Health("b", false, 2));
            registry.collect();
            assertThat(collector.builds).isEqualTo(5);

            // A target that appears is placed in order, not after the ones already known.
            collector.add("aa");
            collector.order = List.of("a", "b", "c", "aa");
            Snapshot fifth = registry.collect();
            assertThat(fifth.targets().targets()).containsExactly("a", "aa", "b", "c");
            collector.order = List.of("a", "c", "aa");
            assertThat(registry.collect().targets().targets()).containsExactly("a", "aa", "c");
        }
    }

    @Test
    void partsAndDirectWritesOfOneFamilyAreJoinedAndTwoShapesAreAnError() {
        FragmentMemo memo = new FragmentMemo();
        Fragment part = memo.get("x", (x, out) -> out.gauge(UP, 1, x));
        assertThat(memo.get("x", (x, out) -> out.gauge(UP, 9, x))).isSameAs(part);

        FragmentBuilder builder = new FragmentBuilder();
        builder.include(part);
        builder.gauge(UP, 0, "y");
        builder.fact("x", new HealthFact(true));
        Fragment built = builder.build();
        assertThat(built.families()).hasSize(1);
        assertThat(built.families().get(0).samples()).extracting(Sample::value).containsExactly(1.0, 0.0);

        MetricDescriptor clash = MetricDescriptor.counter("test_up", "Up, as a counter.", "", "target");
        FragmentBuilder clashing = new FragmentBuilder();
        clashing.include(part);
        clashing.include(new FragmentMemo().get("z", (x, out) -> out.counter(clash, 1, x)));
        org.assertj.core.api.Assertions.assertThatThrownBy(clashing::build)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two shapes");
    }

    @Test
    void includingAfterTheOutputClosedIsRefused() {
        FragmentBuilder builder = new FragmentBuilder();
        builder.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.include(new FragmentMemo().get("x", (x, out) -> { })))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anOutputThatKeepsNothingGetsAPartSeriesBySeries() {
        Fragment part = new FragmentMemo().get("x", (x, out) -> {
            out.gauge(UP, 1, x);
            out.counter(CHECKS, 7, x);
            out.fact(x, new HealthFact(true));
        });
        List<String> seen = new java.util.ArrayList<>();
        CollectionOutput recording = new CollectionOutput() {
            public void counter(MetricDescriptor d, double value, String... labels) {
                seen.add("counter " + d.name() + List.of(labels) + " " + value);
            }

            public void gauge(MetricDescriptor d, double value, String... labels) {
                seen.add("gauge " + d.name() + List.of(labels) + " " + value);
            }

            public void histogram(MetricDescriptor d, long[] counts, double sum, String... labels) {
                seen.add("histogram " + d.name());
            }

            public void fact(String target, TargetFact fact) {
                seen.add("fact " + target + " " + fact);
            }
        };
        recording.include(part);
        assertThat(seen).containsExactlyInAnyOrder("gauge test_up[x] 1.0", "counter test_checks[x] 7.0",
                "fact x HealthFact[up=true]");
    }
}
