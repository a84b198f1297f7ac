package io.tally.app.resources;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.app.collection.CollectionConfiguration;
import io.tally.app.sharding.ShardedTargets;
import io.tally.app.stats.InvalidQuery;
import io.tally.app.stats.StatsQuery;
import io.tally.app.stats.StatsService;
import io.tally.app.stats.StatsViews;
import io.tally.app.stats.TargetView;
import io.tally.app.trends.TrendQueries;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/**
 * {@code GET /stats} and {@code GET /stats/{target}}. Every response carries an ETag (the snapshot
 * and the query) and {@code Cache-Control: max-age} = the time until the next collection;
 * {@code If-None-Match} answers 304 and {@code If-Match} 412 ({@link EntityTagConditions}; a malformed one
 * is ignored).
 */
@RolesAllowed("read")
@Path("/stats")
@Produces(MediaType.APPLICATION_JSON)
public final class StatsResource {
    private final StatsService stats;
    private final TrendQueries trends;
    private final Clock clock;
    private final long intervalNanos;
    private final ShardedTargets shards;
    /** Pages and targets apart: their epochs differ (a target's view also reads the trend record). */
    private final RenderedViews renderedPages;
    private final RenderedViews renderedTargets;

    @Inject
    public StatsResource(StatsService stats, TrendQueries trends, Clock clock, CollectionConfiguration collection,
                         ShardedTargets shards, ObjectMapper json) {
        this.stats = stats;
        this.shards = shards;
        this.trends = trends;
        this.clock = clock;
        this.intervalNanos = collection.getInterval().toNanoseconds();
        this.renderedPages = new RenderedViews(json);
        this.renderedTargets = new RenderedViews(json);
    }

    @GET
    public Response stats(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                          @QueryParam("type") String type, @QueryParam("status") String status,
                          @QueryParam("label") List<String> labels, @QueryParam("q") String q,
                          @QueryParam("sort") String sort, @Context HttpHeaders headers, @Context UriInfo uri) {
        StatsQuery query;
        try {
            query = StatsQuery.parse(limit, cursor, type, status, labels, q, sort);
        } catch (InvalidQuery e) {
            throw ApiError.badParameter(e.parameter(), e.accepts());
        }
        StatsService.Computed current = stats.current();
        String rawQuery = uri.getRequestUri().getRawQuery();
        return cached(headers, current, rawQuery, () -> renderedPages.withSnapshotNow(
                renderedPages.get(current.snapshot().sequence(), 0, "stats?" + rawQuery,
                        () -> StatsViews.stats(current.stats(), current.health(), query, clock.getTick(),
                                shards.identity())),
                StatsViews.snapshotInfo(current.snapshot(), clock.getTick())));
    }

    @GET
    @Path("{target}")
    public Response target(@PathParam("target") String name, @Context HttpHeaders headers) {
        StatsService.Computed current = stats.current();
        requireOwned(shards, name);
        TargetView view = current.stats().target(name);
        if (view == null || view.onlyRefused()) {
            throw ApiError.notFound(StatsViews.notFound(name, view));
        }
        // The trend summary is recorded from the snapshot just after it is published: both number the body.
        long recorded = trends.recordedSequence();
        return cached(headers, current, "target=" + name + "@" + recorded, () -> renderedTargets.get(
                current.snapshot().sequence(), recorded,
                name, () -> StatsViews.detail(view, trends.summary(name))));
    }

    /** A target another shard owns: 404, naming the shard to ask. */
    static void requireOwned(ShardedTargets shards, String name) {
        int owner = shards.elsewhere(name);
        if (owner >= 0) {
            throw ApiError.notFound("target '" + name + "' is owned by shard " + owner + " of " + shards.identity().of()
                    + "; this is shard " + shards.identity().index());
        }
    }

    private Response cached(HttpHeaders headers, StatsService.Computed current, String key,
                            java.util.function.Supplier<byte[]> body) {
        String opaque = current.snapshot().sequence() + "-" + Integer.toHexString(String.valueOf(key).hashCode());
        EntityTag tag = new EntityTag(opaque);
        CacheControl cache = new CacheControl();
        long untilNext = Math.max(0, intervalNanos - current.snapshot().age(clock.getTick()).toNanos());
        cache.setMaxAge((int) Math.max(0, untilNext / 1_000_000_000L));
        switch (EntityTagConditions.evaluate(opaque, headers.getRequestHeader(HttpHeaders.IF_MATCH),
                headers.getRequestHeader(HttpHeaders.IF_NONE_MATCH))) {
            case NOT_MODIFIED -> {
                return Response.notModified(tag).cacheControl(cache).build();
            }
            case PRECONDITION_FAILED -> {
                return Response.fromResponse(ApiError.response(412, "If-Match does not name the current ETag"))
                        .tag(tag).cacheControl(cache).build();
            }
            default -> {
                return Response.ok(body.get()).tag(tag).cacheControl(cache).build();
            }
        }
    }
}
