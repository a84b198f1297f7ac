package io.tally.app.sharding;

import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.core.catalog.TargetSet;

import java.util.List;

/**
 * The two target catalogs of a replica: {@link #discovered()}, where discovery publishes every target
 * it found, and {@link #owned()}, the ones this shard's rendezvous hash wins, which every family
 * probes and reports. Unsharded, they are one catalog.
 */
public final class ShardedTargets {
    private final ShardIdentity identity;
    private final TargetCatalog discovered;
    private final TargetCatalog owned;

    public ShardedTargets(ShardIdentity identity) {
        this.identity = identity;
        this.discovered = new TargetCatalog();
        if (identity.sharded()) {
            this.owned = new TargetCatalog();
            // Synchronously, in discovery's publishing thread: the prober never sees a target set we would not own.
            discovered.subscribe(this::narrow);
        } else {
            this.owned = discovered;
        }
    }

    public ShardIdentity identity() {
        return identity;
    }

    public TargetCatalog discovered() {
        return discovered;
    }

    public TargetCatalog owned() {
        return owned;
    }

    /** The owning shard of a discovered target that this replica does not own; -1 for any other name. */
    public int elsewhere(String name) {
        if (!identity.sharded() || discovered.current().get(name) == null) {
            return -1;
        }
        int owner = identity.owner(name);
        return owner == identity.index() ? -1 : owner;
    }

    private void narrow(TargetSet all) {
        List<Target> mine = all.targets().stream().filter(t -> identity.owns(t.name())).toList();
        // A change elsewhere in the fleet that leaves this shard's targets as they were tells nobody here.
        if (!mine.equals(List.copyOf(owned.current().targets()))) {
            owned.publish(new TargetSet(mine, all.discoveredAt()));
        }
    }
}
