package io.tally.app.resources;

import io.tally.app.collection.CollectionConfiguration;
import io.tally.app.exposition.ExpositionFormat;
import io.tally.app.exposition.ExpositionRenderer;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.time.Duration;

/**
 * {@code GET /metrics}: Prometheus text 0.0.4, or OpenMetrics 1.0 when the Accept header prefers
 * it. Gzip, when asked for, is done by Dropwizard's gzip handler in front of every response.
 */
@RolesAllowed({"metrics", "read"})
@Path("/metrics")
public final class MetricsResource {
    private final CollectorRegistry registry;
    private final ExpositionRenderer renderer;
    private final Duration maxAge;

    @Inject
    public MetricsResource(CollectorRegistry registry, ExpositionRenderer renderer, CollectionConfiguration collection) {
        this.registry = registry;
        this.renderer = renderer;
        this.maxAge = collection.getMaxAge().toJavaDuration();
    }

    @GET
    public Response metrics(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
        ExpositionFormat format = ExpositionFormat.negotiate(accept);
        Snapshot snapshot = registry.latestWithin(maxAge);
        StreamingOutput body = out -> renderer.render(snapshot, format, out);
        return Response.ok(body)
                .header(HttpHeaders.CONTENT_TYPE, format.contentType())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                .build();
    }
}
