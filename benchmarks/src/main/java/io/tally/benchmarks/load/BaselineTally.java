package io.tally.benchmarks.load;

import io.dropwizard.core.setup.Environment;
import io.tally.app.TallyApplication;
import io.tally.app.config.TallyConfiguration;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Tally with one trivial JSON resource, {@code GET /baseline}, on its application connector: the
 * load test's yardstick. It passes the same Jetty connector and Jersey filters as the API, so the
 * API's figures divided by its figures measure what Tally's own work costs. Not part of the product.
 */
public final class BaselineTally extends TallyApplication {
    public static void main(String[] args) throws Exception {
        System.setProperty("guice_bytecode_gen_option", System.getProperty("guice_bytecode_gen_option", "DISABLED"));
        new BaselineTally().run(args);
    }

    @Override
    public void run(TallyConfiguration configuration, Environment environment) {
        super.run(configuration, environment);
        environment.jersey().register(new Baseline());
    }

    @Path("/baseline")
    @Produces(MediaType.APPLICATION_JSON)
    public static final class Baseline {
        @GET
        public String get() {
            return "{\"status\":\"ok\"}";
        }
    }
}
