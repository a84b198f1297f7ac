package io.tally.app.sharding;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RendezvousTest {
    private static final List<String> NAMES = IntStream.range(0, 10_000).mapToObj(i -> "target-" + i).toList();

    @Test
    void everyNameHasOneOwnerInRangeAndTheSameEveryTime() {
        for (String name : NAMES.subList(0, 500)) {
            int owner = Rendezvous.owner(name, 5);
            assertThat(owner).isBetween(0, 4);
            assertThat(Rendezvous.owner(name, 5)).isEqualTo(owner);
        }
        assertThat(NAMES).allSatisfy(n -> assertThat(Rendezvous.owner(n, 1)).isZero());
    }

    /** Pinned values: every replica, in any JVM and any version, must agree on them. */
    @Test
    void ownersAreStableAcrossReleases() {
        assertThat(IntStream.range(0, 12).map(i -> Rendezvous.owner("t" + i, 3)).toArray())
                .containsExactly(0, 2, 2, 1, 1, 1, 2, 1, 0, 1, 1, 1);
        assertThat(Rendezvous.nameHash("t0")).isEqualTo(fnv("t0"));
    }

    /** FNV-1a 64 written out from its definition, independently of the class under test. */
    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    @Test
    void shardsGetAboutEqualShares() {
        int[] counts = new int[3];
        NAMES.forEach(n -> counts[Rendezvous.owner(n, 3)]++);
        // 10 000 / 3 = 3333; a fair coin's spread is about 47, so 5 % is over 3 standard deviations.
        assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(3333 - 167, 3333 + 167));
    }

    @Test
    void addingAShardMovesAboutOneInNPlusOneAndOnlyToTheNewShard() {
        for (int n = 1; n <= 6; n++) {
            int moved = 0;
            for (String name : NAMES) {
                int before = Rendezvous.owner(name, n);
                int after = Rendezvous.owner(name, n + 1);
                if (before != after) {
                    moved++;
                    assertThat(after).as("%s moved from shard %d", name, before).isEqualTo(n);
                }
            }
            double expected = NAMES.size() / (n + 1.0);
            assertThat((double) moved).as("moved going from %d to %d shards", n, n + 1)
                    .isBetween(expected * 0.9, expected * 1.1);
        }
    }

    @Test
    void removingAShardMovesOnlyItsOwnTargets() {
        for (String name : NAMES) {
            int before = Rendezvous.owner(name, 4);
            if (before != 3) {
                assertThat(Rendezvous.owner(name, 3)).isEqualTo(before);
            }
        }
    }

    /** What rendezvous avoids: name-hash modulo n moves most targets when n changes. */
    @Test
    void moduloWouldHaveMovedMost() {
        long moduloMoved = NAMES.stream().filter(n -> Math.floorMod(Rendezvous.nameHash(n), 3L)
                != Math.floorMod(Rendezvous.nameHash(n), 4L)).count();
        long rendezvousMoved = NAMES.stream().filter(n -> Rendezvous.owner(n, 3) != Rendezvous.owner(n, 4)).count();
        assertThat(moduloMoved).isGreaterThan(NAMES.size() / 2);
        assertThat(rendezvousMoved).isLessThan(NAMES.size() * 3 / 10);
    }
}
