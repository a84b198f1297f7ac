package io.tally.app.sharding;

import java.util.Set;

/**
 * Which shard this replica is, of how many, and whether it runs the collectors that read shared
 * systems (queues, publishers): resolved once at start-up from {@code sharding:}.
 */
public record ShardIdentity(int index, int of, Set<Integer> singletons) {
    public static final ShardIdentity ALONE = new ShardIdentity(0, 1, Set.of(0));

    public ShardIdentity {
        if (of < 1 || index < 0 || index >= of) {
            throw new IllegalArgumentException("shard " + index + " of " + of + " is out of range");
        }
        singletons = Set.copyOf(singletons);
    }

    public boolean owns(String target) {
        return of == 1 || Rendezvous.owner(target, of) == index;
    }

    public int owner(String target) {
        return of == 1 ? 0 : Rendezvous.owner(target, of);
    }

    /** Whether queue and publisher collectors run here, so that a sum() across replicas counts them once. */
    public boolean runsSingletons() {
        return singletons.contains(index);
    }

    public boolean sharded() {
        return of > 1;
    }
}
