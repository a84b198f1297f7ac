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
}
