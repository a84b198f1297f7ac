package io.tally.app.bundle.example;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.tally.app.bundle.TallyBundle;

/**
 * A tiny publishing service, the kind Tally is embedded in: {@code POST /publish/{target}} queues a
 * notification, a pool of workers delivers it to the target's webhook with retries, a circuit
 * breaker per target and a dead-letter queue, and every step is told to Tally's recorder.
 */
public class PublishingService extends Application<PublishingServiceConfiguration> {
    private final TallyBundle<PublishingServiceConfiguration> tally = new TallyBundle<>(c -> c.tally);

    @Override
    public void initialize(Bootstrap<PublishingServiceConfiguration> bootstrap) {
        bootstrap.addBundle(tally);
    }

    @Override
    public void run(PublishingServiceConfiguration configuration, Environment environment) {
        WebhookWorkers workers = new WebhookWorkers(configuration, tally.recorder());
        environment.lifecycle().manage(workers);
        environment.jersey().register(new PublishResource(workers));
    }

    public static void main(String[] args) throws Exception {
        new PublishingService().run(args);
    }
}
