package io.tally.app.trends;

import java.nio.file.Path;
import java.util.Map;

/** Writes one small trend file and exits: the process {@link TrendFlushDurabilityTest} traces. */
public final class FlushOnce {
    private FlushOnce() {
    }

    public static void main(String[] args) throws Exception {
        TrendStore store = new TrendStore(10);
        store.append(1_795_000_000_000L, Map.of("system:healthy_targets", 3.0));
        store.flush(Path.of(args[0]));
    }
}
