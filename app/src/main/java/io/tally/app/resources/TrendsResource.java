package io.tally.app.resources;

import io.tally.app.sharding.ShardedTargets;
import io.tally.app.stats.StatsService;
import io.tally.app.stats.TargetNames;
import io.tally.app.trends.TrendMetric;
import io.tally.app.trends.TrendQueries;
import io.dropwizard.util.Duration;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** {@code GET /trends?metric=&window=&target=&step=}. */
@RolesAllowed("read")
@Path("/trends")
@Produces(MediaType.APPLICATION_JSON)
public final class TrendsResource {
    private static final Map<String, Long> WINDOWS = Map.of("5m", 300_000L, "15m", 900_000L, "1h", 3_600_000L,
            "24h", 86_400_000L);

    private final TrendQueries trends;
    private final StatsService stats;
    private final ShardedTargets shards;

    @Inject
    public TrendsResource(TrendQueries trends, StatsService stats, ShardedTargets shards) {
        this.trends = trends;
        this.stats = stats;
        this.shards = shards;
    }

    @GET
    public TrendQueries.Trend trend(@QueryParam("metric") String metric, @QueryParam("window") String window,
                                    @QueryParam("target") String target, @QueryParam("step") String step) {
        TrendMetric parsed = TrendMetric.parse(metric == null ? "success_ratio" : metric);
        if (parsed == null) {
            throw ApiError.badParameter("metric", "one of " + TrendMetric.labels());
        }
        String w = window == null ? "1h" : window;
        Long windowMillis = WINDOWS.get(w);
        if (windowMillis == null) {
            throw ApiError.badParameter("window", "one of 5m, 15m, 1h, 24h");
        }
        if (target != null) {
            if (parsed == TrendMetric.HEALTHY_TARGETS) {
                throw ApiError.badParameter("target", "not with metric healthy_targets, which is system-wide");
            }
            // A store that sees every shard has every discovered target's trend; this replica's store only its own.
            boolean known = stats.current().stats().target(target) != null
                    || (trends.global() && shards.discovered().current().get(target) != null);
            if (!trends.global()) {
                StatsResource.requireOwned(shards, target);
            }
            if (!known) {
                throw ApiError.notFound("no target named '" + TargetNames.shortened(target) + "'");
            }
        }
        Long stepMillis = null;
        if (step != null) {
            try {
                stepMillis = Duration.parse(step).toMilliseconds();
            } catch (IllegalArgumentException e) {
                throw ApiError.badParameter("step", "a duration like 30s or 5m, at least 1s and at most the window");
            }
            if (stepMillis < 1000 || stepMillis > windowMillis) {
                throw ApiError.badParameter("step", "a duration like 30s or 5m, at least 1s and at most the window");
            }
        }
        return trends.trend(parsed, w, windowMillis, target, stepMillis);
    }
}
