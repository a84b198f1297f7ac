package io.tally.app.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.app.stats.HealthScore;
import io.tally.app.stats.StatsService;
import io.tally.app.trends.TrendRecorder;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /health}: the score, its components and reasons; 200 when healthy or degraded. The
 * {@code trend_history} component says whether trend history reaches the disk; it is not part of
 * the score (delivery is), but a failing write is a reason.
 */
@RolesAllowed("read")
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final StatsService stats;
    private final TrendRecorder trends;
    private final RenderedViews rendered;

    @Inject
    public HealthResource(StatsService stats, TrendRecorder trends, ObjectMapper json) {
        this.stats = stats;
        this.trends = trends;
        this.rendered = new RenderedViews(json);
    }

    @GET
    public Response health() {
        StatsService.Computed current = stats.current();
        TrendRecorder.Persistence persistence = trends.persistence();
        HealthScore.Report base = current.health();
        boolean unhealthy = base.status().equals("unhealthy");
        // The trend history component changes with each write to disk, between snapshots.
        byte[] body = rendered.get(current.snapshot().sequence(), 0, persistence.toString(),
                () -> withTrendHistory(base, persistence));
        CacheControl noCache = new CacheControl();
        noCache.setNoCache(true);
        return Response.status(unhealthy ? stats.config().unhealthyHttpStatus() : 200).entity(body)
                .cacheControl(noCache).build();
    }

    static HealthScore.Report withTrendHistory(HealthScore.Report report, TrendRecorder.Persistence p) {
        String last = p.lastFlush() == null ? "never" : p.lastFlush();
        return switch (p.status()) {
            case "failing" -> report.with(new HealthScore.Component("trend_history", null, 0, "degraded",
                            "cannot write " + p.file() + " (" + p.reason() + "); " + p.failedFlushes()
                                    + " failed writes, last written " + last + "; history is kept in memory"),
                    "trend history is not being saved: " + p.reason() + " (last written " + last + ")");
            case "ok" -> report.with(new HealthScore.Component("trend_history", null, 0, "healthy",
                    "written to " + p.file() + " at " + last), null);
            default -> report.with(new HealthScore.Component("trend_history", null, 0, "unknown",
                    "not written yet; the first write is after trends.flushInterval"), null);
        };
    }
}
