package io.tally.app.trends;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32;

/**
 * The embedded trend store: series of Gorilla-compressed chunks, at most {@code maxSeries} of them,
 * persisted to {@code dataDir/trends.bin}. When full, a new series takes the place of the one least
 * recently appended to, if that one has had nothing for {@code evictIdleMillis} (its target has
 * gone); otherwise it is refused. Both are counted. A flush writes a temporary file with a CRC,
 * forces it to disk, moves it into place atomically and forces the directory, so a hard kill (or a
 * power cut) loses at most the points since the last flush. A file that cannot be read is set aside
 * as {@code trends.bin.corrupt-*} with a warning, and the store starts empty.
 */
public final class TrendStore {
    private static final Logger LOG = LoggerFactory.getLogger(TrendStore.class);
    private static final long MAGIC = 0x54414c4c59545244L; // "TALLYTRD"
    private static final int VERSION = 1;

    private final Map<String, TrendSeries> series = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final int maxSeries;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();

    private final long chunkSpanMillis;

    private final long alignMillis;

    private final long evictIdleMillis;

    /** Ten minutes without a point: forty missed collections at the default interval. */
    public static final long DEFAULT_EVICT_IDLE_MILLIS = 10 * 60_000L;

    public TrendStore(int maxSeries) {
        this(maxSeries, 30 * 60_000L, 60_000L);
    }

    public TrendStore(int maxSeries, long chunkSpanMillis, long alignMillis) {
        this(maxSeries, chunkSpanMillis, alignMillis, DEFAULT_EVICT_IDLE_MILLIS);
    }

    /**
     * @param chunkSpanMillis how long one compressed chunk covers; at most half of full resolution
     * @param alignMillis     the coarse step: chunks are sealed on its boundaries
     * @param evictIdleMillis when full, a series without a point for this long may be evicted
     */
    public TrendStore(int maxSeries, long chunkSpanMillis, long alignMillis, long evictIdleMillis) {
        this.maxSeries = maxSeries;
        this.chunkSpanMillis = chunkSpanMillis;
        this.alignMillis = alignMillis;
        this.evictIdleMillis = evictIdleMillis;
    }

    public void append(long time, Map<String, Double> values) {
        lock.writeLock().lock();
        try {
            Deque<String> idle = null;
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (e.getValue() == null || e.getValue().isNaN()) {
                    continue;
                }
                TrendSeries s = series.get(e.getKey());
                if (s == null) {
                    if (series.size() >= maxSeries) {
                        if (idle == null) {
                            idle = idleSeries(time, values);
                        }
                        if (idle.isEmpty()) {
                            refused.incrementAndGet();
                            continue;
                        }
                        series.remove(idle.poll());
                        evicted.incrementAndGet();
                    }
                    s = new TrendSeries(chunkSpanMillis, alignMillis);
                    series.put(e.getKey(), s);
                }
                s.append(time, e.getValue());
                appended.incrementAndGet();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Series not appended to since {@code time - evictIdleMillis} and not in this append, least
     * recently appended first: one sweep per append that needs room, however many new series it brings.
     */
    private Deque<String> idleSeries(long time, Map<String, Double> appending) {
        List<Map.Entry<String, TrendSeries>> candidates = new ArrayList<>();
        for (Map.Entry<String, TrendSeries> e : series.entrySet()) {
            if (e.getValue().lastTime() < time - evictIdleMillis && !appending.containsKey(e.getKey())) {
                candidates.add(e);
            }
        }
        candidates.sort(Comparator.comparingLong(e -> e.getValue().lastTime()));
        Deque<String> out = new ArrayDeque<>(candidates.size());
        candidates.forEach(e -> out.add(e.getKey()));
        return out;
    }

    /** Points of one series with {@code from <= t <= to}: times in {@code [0]}, values in {@code [1]}. */
    public Points read(String key, long from, long to) {
        List<long[]> times = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        lock.readLock().lock();
        try {
            TrendSeries s = series.get(key);
            if (s == null) {
                return new Points(new long[0], new double[0]);
            }
            s.read(from, to, times, values, counts);
        } finally {
            lock.readLock().unlock();
        }
        int total = counts.stream().mapToInt(Integer::intValue).sum();
        long[] t = new long[total];
        double[] v = new double[total];
        int n = 0;
        for (int c = 0; c < times.size(); c++) {
            for (int i = 0; i < counts.get(c); i++) {
                // Strictly increasing: a file written before open chunks survived a restart can hold
                // one coarse step in two chunks; its second point for that step is not shown twice.
                if (times.get(c)[i] >= from && times.get(c)[i] <= to && (n == 0 || times.get(c)[i] > t[n - 1])) {
                    t[n] = times.get(c)[i];
                    v[n] = values.get(c)[i];
                    n++;
                }
            }
        }
        return new Points(Arrays.copyOf(t, n), Arrays.copyOf(v, n));
    }

    public record Points(long[] times, double[] values) {
        public int size() {
            return times.length;
        }

        /** One point per {@code step} that has points: the step's start and the mean of its values. */
        public Points bucketed(long step) {
            long[] t = new long[times.length];
            double[] v = new double[times.length];
            int n = 0;
            int i = 0;
            while (i < times.length) {
                long bucket = Math.floorDiv(times[i], step) * step;
                double sum = 0;
                int count = 0;
                while (i < times.length && Math.floorDiv(times[i], step) * step == bucket) {
                    sum += values[i++];
                    count++;
                }
                t[n] = bucket;
                v[n++] = sum / count;
            }
            return new Points(Arrays.copyOf(t, n), Arrays.copyOf(v, n));
        }
    }

    public void compact(long now, long retentionMillis, long fullResolutionMillis, long coarseStepMillis) {
        lock.writeLock().lock();
        try {
            series.values().removeIf(s -> s.compact(now, retentionMillis, fullResolutionMillis, coarseStepMillis));
        } finally {
            lock.writeLock().unlock();
        }
    }

    public int seriesCount() {
        lock.readLock().lock();
        try {
            return series.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public long bytes() {
        lock.readLock().lock();
        try {
            long total = 0;
            for (Map.Entry<String, TrendSeries> e : series.entrySet()) {
                total += e.getValue().retainedBytes() + 2L * e.getKey().length() + 96;
            }
            return total;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Compressed bytes of the point data alone, for the bytes-per-point figure. */
    public long pointBytes() {
        lock.readLock().lock();
        try {
            return series.values().stream().mapToLong(TrendSeries::bytes).sum();
        } finally {
            lock.readLock().unlock();
        }
    }

    public long points() {
        lock.readLock().lock();
        try {
            return series.values().stream().mapToLong(TrendSeries::points).sum();
        } finally {
            lock.readLock().unlock();
        }
    }

    public long refused() {
        return refused.get();
    }

    public long evicted() {
        return evicted.get();
    }

    public long appended() {
        return appended.get();
    }

    // Persistence.

    public void flush(Path file) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        lock.readLock().lock();
        try {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(series.size());
            for (Map.Entry<String, TrendSeries> e : series.entrySet()) {
                out.writeUTF(e.getKey());
                TrendSeries s = e.getValue();
                out.writeInt(s.sealed.size() + 1);
                for (TrendSeries.Sealed sealed : s.sealed) {
                    writeChunk(out, sealed.chunk(), sealed.coarse());
                }
                writeChunk(out, s.open, false);
            }
        } finally {
            lock.readLock().unlock();
        }
        CRC32 crc = new CRC32();
        crc.update(buffer.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(buffer.toByteArray());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // A half-written temporary file on a full disk would keep it full.
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The write's own error is the one to report.
            }
            throw e;
        }
        // The rename lives in the directory: until the directory is on disk, a power cut can bring
        // back the old file, or none.
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static void writeChunk(DataOutputStream out, GorillaChunk chunk, boolean coarse) throws IOException {
        out.writeBoolean(coarse);
        out.writeInt(chunk.count());
        out.writeInt(chunk.bitLength());
        byte[] bytes = chunk.bytes();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Loads a flushed file; a missing file is an empty store; an unreadable one is set aside. */
    public void load(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            byte[] all = Files.readAllBytes(file);
            if (all.length < 24) {
                throw new IOException("file is truncated (" + all.length + " bytes)");
            }
            CRC32 crc = new CRC32();
            crc.update(all, 0, all.length - 8);
            long stored = java.nio.ByteBuffer.wrap(all, all.length - 8, 8).getLong();
            if (stored != crc.getValue()) {
                throw new IOException("checksum mismatch");
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8));
            if (in.readLong() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a Tally trend file of version " + VERSION);
            }
            Map<String, TrendSeries> loaded = new HashMap<>();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                int chunks = in.readInt();
                TrendSeries s = new TrendSeries(chunkSpanMillis, alignMillis);
                for (int c = 0; c < chunks; c++) {
                    boolean coarse = in.readBoolean();
                    int points = in.readInt();
                    int bits = in.readInt();
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    GorillaChunk chunk = GorillaChunk.restore(bytes, bits, points);
                    if (chunk.count() == 0) {
                        continue;
                    }
                    if (c == chunks - 1 && !coarse) {
                        // The open chunk goes on growing: sealed as it was, the coarse step it was in
                        // would straddle it and the next chunk, and be downsampled twice.
                        s.restoreOpen(chunk);
                    } else {
                        chunk.trim();
                        s.sealed.add(new TrendSeries.Sealed(chunk, coarse));
                    }
                }
                loaded.put(key, s);
            }
            lock.writeLock().lock();
            try {
                series.clear();
                series.putAll(loaded);
            } finally {
                lock.writeLock().unlock();
            }
            LOG.info("Loaded {} trend series ({} points) from {}", loaded.size(), points(), file);
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                LOG.warn("Cannot move unreadable trend file {} aside: {}", file, moveFailed.getMessage());
            }
            LOG.warn("Trend file {} is unreadable ({}); set aside as {}, starting with empty history", file,
                    e.getMessage(), aside.getFileName());
        }
    }
}
