package io.tally.app.trends;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TrendStoreTest {
    private static final long START = 1_795_000_000_000L;

    @Test
    void roundTripsEveryPointBitExactly() {
        GorillaChunk chunk = new GorillaChunk();
        Random random = new Random(7);
        int n = 1000;
        long[] times = new long[n];
        double[] values = new double[n];
        long t = START;
        for (int i = 0; i < n; i++) {
            t += 15_000 + random.nextInt(40) - 20; // a 15 s collection interval with jitter
            times[i] = t;
            values[i] = switch (i % 4) {
                case 0 -> random.nextDouble();
                case 1 -> Double.NaN;
                case 2 -> i < 500 ? 0.995 : -1e300;
                default -> Math.floor(random.nextGaussian() * 100);
            };
            chunk.append(times[i], values[i]);
        }
        long[] outTimes = new long[n];
        double[] outValues = new double[n];
        assertThat(chunk.decode(outTimes, outValues)).isEqualTo(n);
        assertThat(outTimes).containsExactly(times);
        for (int i = 0; i < n; i++) {
            assertThat(Double.doubleToRawLongBits(outValues[i])).as("point " + i)
                    .isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
        GorillaChunk restored = GorillaChunk.restore(chunk.bytes(), chunk.bitLength(), n);
        restored.append(t + 15_000, 42.0);
        long[] moreTimes = new long[n + 1];
        double[] moreValues = new double[n + 1];
        restored.decode(moreTimes, moreValues);
        assertThat(moreValues[n]).isEqualTo(42.0);
        assertThat(moreTimes[n - 1]).isEqualTo(times[n - 1]);
    }

    /** Tally-like series: a ratio that rarely moves and a depth that wanders, every 15 s for a day. */
    @Test
    void compressesRealisticSeriesUnderTwoBytesPerPoint() {
        TrendStore store = new TrendStore(100);
        Random random = new Random(1);
        double depth = 100;
        for (int i = 0; i < 5760; i++) {
            long time = START + i * 15_000L + random.nextInt(10);
            depth = Math.max(0, depth + random.nextInt(5) - 2);
            store.append(time, Map.of(
                    "system:success_ratio", i % 200 == 0 ? 0.98 : 1.0,
                    "system:healthy_targets", (double) (i % 500 == 0 ? 39 : 40),
                    "system:queue_depth", depth));
        }
        double bytesPerPoint = store.pointBytes() / (double) store.points();
        System.out.printf("trend compression: %d points, %d bytes, %.2f bytes/point%n", store.points(),
                store.pointBytes(), bytesPerPoint);
        assertThat(store.points()).isEqualTo(3 * 5760);
        assertThat(bytesPerPoint).isLessThan(2.0);
        assertThat(store.read("system:queue_depth", START, START + 86_400_000L).size()).isEqualTo(5760);
    }

    @Test
    void retentionDropsOldDataAndOldDataIsCoarser() {
        TrendStore store = new TrendStore(100);
        for (int i = 0; i < 4 * 240; i++) { // 4 hours at 15 s
            store.append(START + i * 15_000L, Map.of("s", (double) i));
        }
        long now = START + 4 * 3_600_000L;
        store.compact(now, 3 * 3_600_000L, 3_600_000L, 60_000L);
        TrendStore.Points points = store.read("s", 0, Long.MAX_VALUE);
        assertThat(points.times()[0]).isGreaterThanOrEqualTo(now - 3 * 3_600_000L - 30 * 60_000L);
        // old (coarse) part: one point a minute, the mean of its four 15 s points
        TrendStore.Points old = store.read("s", START + 2 * 3_600_000L, START + 2 * 3_600_000L + 120_000L);
        assertThat(old.size()).isLessThanOrEqualTo(3);
        TrendStore.Points recent = store.read("s", now - 600_000L, now);
        assertThat(recent.size()).isGreaterThanOrEqualTo(39);
        // the coarse part is still every minute's mean, in order, after chunks were merged
        TrendStore.Points coarse = store.read("s", START + 90 * 60_000L, START + 150 * 60_000L);
        for (int i = 1; i < coarse.size(); i++) {
            assertThat(coarse.times()[i] - coarse.times()[i - 1]).isEqualTo(60_000L);
        }
        long bucket = coarse.times()[0];
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 4 * 240; i++) {
            if (Math.floorDiv(START + i * 15_000L, 60_000L) * 60_000L == bucket) {
                sum += i;
                n++;
            }
        }
        assertThat(n).isBetween(1, 4);
        assertThat(coarse.values()[0]).isEqualTo(sum / n);
    }

    @Test
    void seriesCapRefusesAndCounts() {
        TrendStore store = new TrendStore(2);
        store.append(START, Map.of("a", 1.0, "b", 2.0, "c", 3.0));
        assertThat(store.seriesCount()).isEqualTo(2);
        assertThat(store.refused()).isEqualTo(1);
    }

    @Test
    void flushLoadKeepsHistoryAndCorruptFilesAreSetAside(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trends.bin");
        TrendStore store = new TrendStore(100);
        for (int i = 0; i < 300; i++) {
            store.append(START + i * 15_000L, Map.of("system:success_ratio", 1.0 - i / 1000.0, "target:a:queue_depth", (double) i));
        }
        store.flush(file);
        TrendStore reloaded = new TrendStore(100);
        reloaded.load(file);
        TrendStore.Points before = store.read("target:a:queue_depth", 0, Long.MAX_VALUE);
        TrendStore.Points after = reloaded.read("target:a:queue_depth", 0, Long.MAX_VALUE);
        assertThat(after.times()).containsExactly(before.times());
        assertThat(after.values()).containsExactly(before.values());
        reloaded.append(START + 300 * 15_000L, Map.of("target:a:queue_depth", 300.0));
        assertThat(reloaded.read("target:a:queue_depth", 0, Long.MAX_VALUE).size()).isEqualTo(301);

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);
        TrendStore corrupt = new TrendStore(100);
        corrupt.load(file);
        assertThat(corrupt.seriesCount()).isZero();
        assertThat(Files.exists(file)).isFalse();
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("trends.bin.corrupt-"));
        }
        Files.write(file, new byte[] {1, 2, 3});
        new TrendStore(100).load(file);
        assertThat(Files.exists(file)).isFalse();
    }

    /**
     * A restart in the middle of a coarse step: the open chunk is read back as the open chunk, so
     * the step is never split over two chunks, and downsampling gives one point per step that is the
     * mean of all of that step's points. (Before, the open chunk came back sealed: the step was in two
     * chunks, downsampled twice, and two points carried the same timestamp.)
     */
    @Test
    void aRestartInsideACoarseStepDoesNotSplitIt(@TempDir Path dir) throws Exception {
        long step = 60_000L;
        long t0 = START - Math.floorMod(START, step);
        Path file = dir.resolve("trends.bin");
        TrendStore before = new TrendStore(100, 2 * step, step);
        int restartAt = 9 * 4 + 2; // 9 min 30 s: two of step 9's four points written before the restart
        for (int i = 0; i < restartAt; i++) {
            before.append(t0 + i * 15_000L, Map.of("s", (double) i));
        }
        before.flush(file);

        TrendStore after = new TrendStore(100, 2 * step, step);
        after.load(file);
        int total = 20 * 4;
        for (int i = restartAt; i < total; i++) {
            after.append(t0 + i * 15_000L, Map.of("s", (double) i));
        }
        // Everything but the last minute becomes one point per minute.
        after.compact(t0 + total * 15_000L, 24 * 3_600_000L, step, step);

        TrendStore.Points points = after.read("s", 0, Long.MAX_VALUE);
        assertThat(after.points()).as("stored points, duplicates included").isEqualTo(points.size());
        for (int i = 1; i < points.size(); i++) {
            assertThat(points.times()[i]).as("point " + i).isGreaterThan(points.times()[i - 1]);
        }
        for (int i = 0; i < points.size(); i++) {
            long t = points.times()[i];
            if (t % step == 0 && t < t0 + (total - 8) * 15_000L) {
                int first = (int) ((t - t0) / 15_000L);
                assertThat(points.values()[i]).as("minute " + (t - t0) / step + " is the mean of its four points")
                        .isEqualTo(first + 1.5);
            }
        }
        assertThat(points.times()).contains(t0 + 9 * step);
    }

    /** The open chunk survives flush and load bit for bit, and appends go on in it. */
    @Test
    void theOpenChunkComesBackOpen(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trends.bin");
        TrendStore store = new TrendStore(100, 120_000L, 60_000L);
        for (int i = 0; i < 30; i++) {
            store.append(START + i * 15_000L, Map.of("s", i * 0.5));
        }
        store.flush(file);
        TrendStore reloaded = new TrendStore(100, 120_000L, 60_000L);
        reloaded.load(file);
        // An append older than the newest point is refused, as it was before the restart.
        reloaded.append(START, Map.of("s", 99.0));
        reloaded.append(START + 30 * 15_000L, Map.of("s", 15.0));
        TrendStore.Points points = reloaded.read("s", 0, Long.MAX_VALUE);
        assertThat(points.size()).isEqualTo(31);
        assertThat(points.values()[30]).isEqualTo(15.0);
        reloaded.flush(file);
        TrendStore again = new TrendStore(100, 120_000L, 60_000L);
        again.load(file);
        assertThat(again.read("s", 0, Long.MAX_VALUE).times()).containsExactly(points.times());
    }

    /**
     * Once full, a new series takes the place of one that has had no point for the idle time, least
     * recently appended first; with none idle it is refused. Both are counted.
     */
    @Test
    void whenFullIdleSeriesMakeRoomLeastRecentlyAppendedFirst() {
        TrendStore store = new TrendStore(3, 30 * 60_000L, 60_000L, 60_000L);
        store.append(START, Map.of("a", 1.0, "b", 1.0, "c", 1.0));
        store.append(START + 10_000, Map.of("a", 2.0, "b", 2.0)); // c has gone
        store.append(START + 20_000, Map.of("a", 3.0));           // b has gone

        store.append(START + 30_000, Map.of("a", 4.0, "d", 4.0)); // nobody idle for a minute yet
        assertThat(store.read("d", 0, Long.MAX_VALUE).size()).isZero();
        assertThat(store.refused()).isEqualTo(1);
        assertThat(store.evicted()).isZero();

        store.append(START + 75_000, Map.of("a", 5.0, "d", 5.0)); // c (idle 75 s) goes first, not b (65 s)
        assertThat(store.read("d", 0, Long.MAX_VALUE).size()).isEqualTo(1);
        assertThat(store.read("c", 0, Long.MAX_VALUE).size()).isZero();
        assertThat(store.read("b", 0, Long.MAX_VALUE).size()).isEqualTo(2);

        store.append(START + 80_000, Map.of("a", 6.0, "d", 6.0, "e", 6.0, "f", 6.0)); // room for one: b's
        assertThat(store.read("b", 0, Long.MAX_VALUE).size()).isZero();
        assertThat(store.seriesCount()).isEqualTo(3);
        assertThat(store.evicted()).isEqualTo(2);
        assertThat(store.refused()).isEqualTo(2);
        assertThat(store.read("a", 0, Long.MAX_VALUE).size()).as("a live series keeps its history").isEqualTo(6);
    }

    /** A series that is idle but appended again in the same snapshot is not evicted for a newcomer. */
    @Test
    void aSeriesInTheSameAppendIsNeverEvicted() {
        TrendStore store = new TrendStore(2, 30 * 60_000L, 60_000L, 60_000L);
        store.append(START, Map.of("a", 1.0, "b", 1.0));
        store.append(START + 120_000, new java.util.TreeMap<>(Map.of("a", 2.0, "c", 2.0)));
        assertThat(store.read("a", 0, Long.MAX_VALUE).size()).isEqualTo(2);
        assertThat(store.read("b", 0, Long.MAX_VALUE).size()).isZero();
        assertThat(store.read("c", 0, Long.MAX_VALUE).size()).isEqualTo(1);
    }
}
