package io.tally.collectors.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.tally.collectors.core.Backoff;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorEnvironment;
import io.tally.collectors.core.CollectorFactory;
import io.tally.collectors.core.PollSettings;
import io.tally.collectors.core.catalog.RedactedUrl;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every broker source in {@code queues:} shares: a name, a connection URI, the queues and the
 * targets they feed, polling and reconnect settings. Subtypes ({@code rabbitmq}, {@code redis},
 * {@code nats}) only say how to talk to their broker, and whether it can list queues.
 */
@QueueGlobsSupported
public abstract class QueueFactory implements CollectorFactory {
    /** Each reconnect wait is multiplied by a random factor in [0.8, 1.2]: not a setting (yet). */
    private static final double RECONNECT_JITTER = 0.2;

    @NotEmpty
    @JsonProperty
    private String name;

    @NotEmpty
    @JsonProperty
    private String uri;

    @Valid
    @NotNull
    @JsonProperty
    private List<QueueMapping> queues = List.of();

    /** Globs of queue names never reported, applied after patterns are expanded. */
    @NotNull
    @JsonProperty
    private List<String> exclude = List.of();

    /** At most this many queues are reported; the rest are counted as dropped. */
    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int maxQueues = 100;

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration pollInterval = Duration.seconds(5);

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration timeout = Duration.seconds(2);

    /** Polls in each queue's verdict window. */
    @Min(2)
    @Max(1_000)
    @JsonProperty
    private int window = 10;

    @NotNull
    @JsonProperty
    private Duration backoff = Duration.seconds(1);

    @NotNull
    @JsonProperty
    private Duration maxBackoff = Duration.seconds(30);

    @Override
    public String getName() {
        return name;
    }

    /** The connection URI, redacted: it usually holds a password. */
    protected RedactedUrl uri() {
        return RedactedUrl.parse(uri);
    }

    protected Duration timeout() {
        return timeout;
    }

    List<QueueMapping> mappings() {
        return queues == null ? List.of() : queues;
    }

    /**
     * True when the broker can list queues ({@link BrokerClient#list}), so that a queue name may be
     * a glob. False by default, as {@code list} is: a glob is then refused with config.yml.
     */
    protected boolean canListQueues() {
        return false;
    }

    /** A client for this broker; not connected yet. */
    protected abstract BrokerClient client();

    public QueueSource buildSource(CollectorEnvironment environment) {
        PollSettings poll = new PollSettings(pollInterval.toJavaDuration(), timeout.toJavaDuration(),
                new Backoff(backoff.toJavaDuration(), maxBackoff.toJavaDuration(), RECONNECT_JITTER));
        return new QueueSource(new QueueSettings(name, uri(), queues, exclude, maxQueues, window, poll), client(),
                environment.clock(), environment.scheduler());
    }

    @Override
    public Collector build(CollectorEnvironment environment) {
        QueueSource source = buildSource(environment);
        environment.manage(source);
        return new QueueCollector(source, environment.targets());
    }
}
