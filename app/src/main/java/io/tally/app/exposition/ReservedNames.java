package io.tally.app.exposition;

import java.util.List;
import java.util.function.Predicate;

/**
 * Family names {@code /metrics} writes itself, next to the snapshot: the live figures of the
 * renderer, the JVM and process exports, request metrics, the trend store's own and the health
 * score's. A collector (a plug-in, say) that declares one of them has that family left out and
 * shows as {@code error}, instead of putting a second family of the same name into the exposition,
 * which Prometheus would refuse whole.
 */
public final class ReservedNames implements Predicate<String> {
    private static final List<String> PREFIXES = List.of("process_", "jvm_", "http_server_", "tally_trend_", "tally_auth_",
            "tally_health_score", "tally_health_status", "tally_health_component_", "tally_shard_");

    @Override
    public boolean test(String family) {
        if (family.equals(ExpositionRenderer.SNAPSHOT_AGE.name())) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (family.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
