package io.tally.app.sharding;

import java.nio.charset.StandardCharsets;

/**
 * Rendezvous (highest-random-weight) hashing of target names onto shards: each shard gives every
 * name a pseudo-random weight and the heaviest shard owns it. Going from n to n+1 shards moves only
 * the names the new shard now wins (about 1/(n+1) of them); removing a shard moves only its own.
 * The weights depend on nothing but the name's UTF-8 bytes and the shard index, so every replica,
 * in any JVM, agrees without talking to the others.
 */
public final class Rendezvous {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private Rendezvous() {
    }

    /** The shard (0..shards-1) that owns {@code name}. */
    public static int owner(String name, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, not " + shards);
        }
        long key = nameHash(name);
        int best = 0;
        long bestWeight = weight(key, 0);
        for (int shard = 1; shard < shards; shard++) {
            long w = weight(key, shard);
            if (Long.compareUnsigned(w, bestWeight) > 0) {
                best = shard;
                bestWeight = w;
            }
        }
        return best;
    }

    /**
     * The name's weight on one shard: the (shard+1)-th output of a SplitMix64 sequence seeded with
     * the name's hash, so that a name's weights on different shards are independent of each other.
     */
    static long weight(long nameHash, int shard) {
        long z = nameHash + (shard + 1L) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the UTF-8 bytes: stable across JVMs, unlike {@link String#hashCode()} is not guaranteed to be. */
    static long nameHash(String name) {
        long h = FNV_OFFSET;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }
}
