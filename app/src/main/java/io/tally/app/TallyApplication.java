package io.tally.app;

import com.codahale.metrics.Clock;
import com.google.inject.Guice;
import com.google.inject.Injector;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.tally.app.auth.AccessFeature;
import io.tally.app.auth.AdminAccessFilter;
import io.tally.app.auth.AuthConfiguration;
import io.tally.app.auth.AuthFailures;
import io.tally.app.auth.CredentialStore;
import io.tally.app.config.TallyConfiguration;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import io.tally.app.checks.CollectionHealthCheck;
import io.tally.app.collection.CollectionSchedule;
import io.tally.app.checks.CollectorHealthCheck;
import io.tally.app.collection.RefreshTask;
import io.tally.app.exposition.PrometheusExports;
import io.tally.app.http.HttpRequestMetrics;
import io.tally.app.ingest.IngestResource;
import io.tally.app.http.ResponseSizeInterceptor;
import io.tally.app.metrics.SnapshotMetricsBridge;
import io.tally.app.openapi.ApiDocsResource;
import io.tally.app.openapi.OpenApiResource;
import io.tally.app.resources.ApiExceptionMappers;
import io.tally.app.resources.ContentTypeFilter;
import io.tally.app.resources.HealthResource;
import io.tally.app.resources.JsonErrorHandler;
import io.tally.app.resources.MetricsJsonResource;
import io.tally.app.resources.MetricsResource;
import io.tally.app.resources.StatsResource;
import io.tally.app.resources.TrendsResource;
import io.tally.app.sharding.ShardMetrics;
import io.tally.app.sharding.ShardedTargets;
import io.tally.app.stats.HealthScoreMetrics;
import io.tally.app.trends.TrendMetrics;
import io.tally.app.trends.TrendRecorder;
import io.tally.app.ui.UiResource;
import io.dropwizard.core.server.AbstractServerFactory;
import io.tally.app.wiring.TallyModule;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.discovery.RefreshManager;

/** Tally: how delivery to each publishing target is doing, now and over time. */
public class TallyApplication extends Application<TallyConfiguration> {
    private volatile Injector injector;

    public static void main(String[] args) throws Exception {
        // Tally uses no method interception; without this Guice's AOP reaches for sun.misc.Unsafe,
        // which JDK 24+ warns about on every start.
        System.setProperty("guice_bytecode_gen_option", System.getProperty("guice_bytecode_gen_option", "DISABLED"));
        new TallyApplication().run(args);
    }

    /** The wiring of the running application, for integration tests. */
    public Injector injector() {
        return injector;
    }

    @Override
    public String getName() {
        return "tally";
    }

    @Override
    protected void addDefaultCommands(Bootstrap<TallyConfiguration> bootstrap) {
        bootstrap.addCommand(new TallyCommands.Server(this));
        bootstrap.addCommand(new TallyCommands.Check(this));
        bootstrap.addCommand(new TallyCommands.Hash());
    }

    @Override
    public void initialize(Bootstrap<TallyConfiguration> bootstrap) {
        // ${VAR} and ${VAR:-default} in config.yml; an unset variable without a default is an error.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
        bootstrap.setConfigurationFactoryFactory(new StrictYamlConfiguration<>());
    }

    @Override
    public void run(TallyConfiguration configuration, Environment environment) {
        this.injector = install(configuration, environment);
        environment.jersey().register(new OpenApiResource());
        environment.jersey().register(new ApiDocsResource());

        // Errors in the API's one JSON shape instead of Dropwizard's defaults.
        if (configuration.getServerFactory() instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        environment.jersey().register(new ApiExceptionMappers.WebApplication());
        environment.jersey().register(new ApiExceptionMappers.Anything());
        environment.jersey().register(new ContentTypeFilter());
        environment.getApplicationContext().setErrorHandler(new JsonErrorHandler());
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(new JsonErrorHandler()));
        // A client that hangs up mid-response is not an error of ours (Dropwizard's own mapper, kept).
        environment.jersey().register(new io.dropwizard.jersey.errors.EarlyEofExceptionMapper());
    }

    /**
     * Tally's collection, trend store, health checks, auth and resources (API, ingest, page) in
     * {@code environment}: everything but what belongs to whoever owns the server (error pages,
     * exception mappers, the OpenAPI page). Shared by this application and the embeddable
     * {@link io.tally.app.bundle.TallyBundle}.
     */
    public static Injector install(TallyConfiguration configuration, Environment environment) {
        Injector injector = Guice.createInjector(new TallyModule(configuration, environment));
        CollectorRegistry registry = injector.getInstance(CollectorRegistry.class);

        registry.addListener(injector.getInstance(SnapshotMetricsBridge.class));
        io.prometheus.client.CollectorRegistry prometheus = injector.getInstance(io.prometheus.client.CollectorRegistry.class);
        PrometheusExports.register(prometheus, environment.metrics());
        TrendRecorder trends = injector.getInstance(TrendRecorder.class);
        injector.getInstance(TrendMetrics.class).register(prometheus);
        registry.addListener(trends);
        new ShardMetrics(injector.getInstance(ShardedTargets.class)).register(prometheus);
        HealthScoreMetrics healthScore = injector.getInstance(HealthScoreMetrics.class);
        healthScore.register(prometheus);
        registry.addListener(healthScore);
        // History is loaded before the first collection and written after the last.
        environment.lifecycle().manage(trends);
        environment.lifecycle().manage(injector.getInstance(CollectionSchedule.class));

        Clock clock = injector.getInstance(Clock.class);
        environment.healthChecks().register("collection", new CollectionHealthCheck(registry,
                configuration.getCollection().getInterval().toJavaDuration(), clock));
        for (String collector : registry.collectorNames()) {
            environment.healthChecks().register("collector-" + collector, new CollectorHealthCheck(collector,
                    registry, configuration.getCollection().getStaleLimit().toJavaDuration(), clock));
        }

        environment.admin().addTask(new RefreshTask(injector.getInstance(RefreshManager.class),
                environment.getObjectMapper()));

        registerAuth(configuration.getAuth(), environment, prometheus);
        environment.jersey().register(injector.getInstance(HttpRequestMetrics.class));
        environment.jersey().register(new ResponseSizeInterceptor());
        environment.jersey().register(injector.getInstance(MetricsResource.class));
        environment.jersey().register(injector.getInstance(MetricsJsonResource.class));
        environment.jersey().register(injector.getInstance(StatsResource.class));
        environment.jersey().register(injector.getInstance(HealthResource.class));
        environment.jersey().register(injector.getInstance(TrendsResource.class));
        environment.jersey().register(injector.getInstance(IngestResource.class));
        environment.jersey().register(injector.getInstance(UiResource.class));
        return injector;
    }

    /** Both ports ask for the same credentials when {@code auth:} has tokens or users. */
    private static void registerAuth(AuthConfiguration auth, Environment environment,
                                     io.prometheus.client.CollectorRegistry prometheus) {
        if (!auth.enabled()) {
            return;
        }
        CredentialStore credentials = new CredentialStore(auth);
        AuthFailures failures = new AuthFailures(prometheus);
        environment.jersey().register(new AccessFeature(auth, credentials, failures));
        environment.admin().addFilter("tally-admin-access", new AdminAccessFilter(auth, credentials, failures))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    }
}
