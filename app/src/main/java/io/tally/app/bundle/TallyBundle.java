package io.tally.app.bundle;

import com.google.inject.Injector;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.tally.app.TallyApplication;
import io.tally.app.auth.NetworkExposure;
import io.tally.collectors.workers.PublishingRecorder;
import io.tally.collectors.workers.WorkersSource;

import java.util.function.Function;

/**
 * Tally inside a host Dropwizard application: its collection, trend store, resources ({@code /stats},
 * {@code /metrics}, {@code /health}, {@code /trends}, {@code /ingest/v1/events}) and page on the host's
 * ports, and a {@link PublishingRecorder} the host's workers call. The host keeps its own error
 * handling, exception mappers and commands. docs/embedding.md walks through an example.
 *
 * <pre>{@code
 * private final TallyBundle<MyConfiguration> tally = new TallyBundle<>(MyConfiguration::getTally);
 * public void initialize(Bootstrap<MyConfiguration> bootstrap) { bootstrap.addBundle(tally); }
 * public void run(MyConfiguration c, Environment e) { ... new WebhookWorkers(tally.recorder()) ... }
 * }</pre>
 */
public final class TallyBundle<T extends Configuration> implements ConfiguredBundle<T> {
    private final Function<T, EmbeddedTallyConfiguration> tallyConfiguration;
    private volatile Injector injector;

    public TallyBundle(Function<T, EmbeddedTallyConfiguration> tallyConfiguration) {
        this.tallyConfiguration = tallyConfiguration;
    }

    @Override
    public void initialize(Bootstrap<?> bootstrap) {
        // Tally uses no method interception (see TallyApplication.main).
        System.setProperty("guice_bytecode_gen_option", System.getProperty("guice_bytecode_gen_option", "DISABLED"));
    }

    @Override
    public void run(T configuration, Environment environment) {
        EmbeddedTallyConfiguration tally = tallyConfiguration.apply(configuration);
        if (tally == null) {
            throw new IllegalStateException("the host configuration has no tally block for TallyBundle");
        }
        boolean guarded = tally.getAuth().enabled() || tally.getAuth().allowAnonymous();
        if (!guarded && NetworkExposure.applicationBeyondLoopback(configuration.getServerFactory())) {
            throw new IllegalStateException("server.applicationConnectors listen beyond loopback with tally.auth off: "
                    + "add tally.auth.tokens or tally.auth.users, or set tally.auth.allowAnonymous: true");
        }
        // Embedding is how the recorder gets fed: it is on.
        tally.getWorkers().setEnabled(true);
        injector = TallyApplication.install(tally, environment);
    }

    /** What the host's workers call; available once the bundle has run (in the host's {@code run}). */
    public PublishingRecorder recorder() {
        Injector i = injector;
        if (i == null) {
            throw new IllegalStateException("TallyBundle has not run yet: call recorder() from Application.run");
        }
        return i.getInstance(WorkersSource.class);
    }
}
