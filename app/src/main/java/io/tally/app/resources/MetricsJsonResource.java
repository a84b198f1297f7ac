package io.tally.app.resources;

import io.tally.app.collection.CollectionConfiguration;
import io.tally.app.exposition.JsonExposition;
import io.tally.collectors.core.CollectorRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.util.Map;

/** {@code GET /metrics/json}: the families of {@code /metrics}, as JSON ({@link JsonExposition}). */
@RolesAllowed({"metrics", "read"})
@Path("/metrics/json")
@Produces(MediaType.APPLICATION_JSON)
public final class MetricsJsonResource {
    private final CollectorRegistry registry;
    private final JsonExposition exposition;
    private final Duration maxAge;

    @Inject
    public MetricsJsonResource(CollectorRegistry registry, JsonExposition exposition,
                               CollectionConfiguration collection) {
        this.registry = registry;
        this.exposition = exposition;
        this.maxAge = collection.getMaxAge().toJavaDuration();
    }

    @GET
    public Map<String, Object> metrics() {
        return exposition.render(registry.latestWithin(maxAge));
    }
}
