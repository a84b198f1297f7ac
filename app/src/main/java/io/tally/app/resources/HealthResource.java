package io.tally.app.resources;

import io.tally.app.stats.HealthScore;
import io.tally.app.stats.StatsService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /health}: the score, its components and reasons; 200 when healthy or degraded. */
@RolesAllowed("read")
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final StatsService stats;

    @Inject
    public HealthResource(StatsService stats) {
        this.stats = stats;
    }

    @GET
    public Response health() {
        HealthScore.Report report = stats.current().health();
        int code = report.status().equals("unhealthy") ? stats.config().unhealthyHttpStatus() : 200;
        CacheControl noCache = new CacheControl();
        noCache.setNoCache(true);
        return Response.status(code).entity(report).cacheControl(noCache).build();
    }
}
