package io.tally.app.testing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorEnvironment;
import io.tally.collectors.core.CollectorFactory;
import io.tally.collectors.core.MetricDescriptor;

import java.util.concurrent.atomic.AtomicLong;

/** A collector type that exists only on the test class path: counts its own calls. */
@JsonTypeName("test-counting")
public class CountingCollectorFactory implements CollectorFactory {
    public static final MetricDescriptor CALLS = MetricDescriptor.counter("test_counting_calls",
            "How often the test collector was called.", "", "collector", "note");

    @JsonProperty
    private String name = "counting";

    @JsonProperty
    private String note = "plain";

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Collector build(CollectorEnvironment environment) {
        AtomicLong calls = new AtomicLong();
        return new Collector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public void collect(CollectionContext context, CollectionOutput out) {
                out.counter(CALLS, calls.incrementAndGet(), name, note);
            }
        };
    }
}
