package io.tally.app.trends;

import java.util.ArrayList;
import java.util.List;

/**
 * One series' history: sealed chunks and the open one. Chunks are sealed after {@code chunkSpan}
 * (half the full-resolution period, so that a chunk is wholly old soon after its data is) or
 * 1 000 points. Sealed chunks older than {@code fullResolution} are re-encoded at one point per
 * {@code coarseStep} (the mean of the points in each step); chunks older than the retention go.
 * Guarded by the store's lock.
 */
final class TrendSeries {
    static final int CHUNK_POINTS = 1_000;

    private final long chunkSpanMillis;
    private final long alignMillis;

    /**
     * {@code alignMillis}: chunks are sealed only where a new coarse step begins, so that no step's
     * points straddle two chunks and downsampling never emits one step twice.
     */
    TrendSeries(long chunkSpanMillis, long alignMillis) {
        this.chunkSpanMillis = chunkSpanMillis;
        this.alignMillis = Math.max(1, alignMillis);
    }

    record Sealed(GorillaChunk chunk, boolean coarse) {
    }

    final List<Sealed> sealed = new ArrayList<>();
    GorillaChunk open = new GorillaChunk();

    void append(long time, double value) {
        if (time <= lastTime()) {
            return; // out of order or duplicate (a clock set back across a restart too): keep the series monotonic
        }
        if (open.count() > 0 && (open.count() >= CHUNK_POINTS || time - open.firstTime() >= chunkSpanMillis)
                && Math.floorDiv(time, alignMillis) != Math.floorDiv(open.lastTime(), alignMillis)) {
            open.trim();
            sealed.add(new Sealed(open, false));
            open = new GorillaChunk();
        }
        open.append(time, value);
    }

    /** The open chunk as a flushed file held it; appends continue in it. */
    void restoreOpen(GorillaChunk chunk) {
        open = chunk;
    }

    /** The time of the newest point, or {@link Long#MIN_VALUE} when there is none. */
    long lastTime() {
        if (open.count() > 0) {
            return open.lastTime();
        }
        return sealed.isEmpty() ? Long.MIN_VALUE : sealed.get(sealed.size() - 1).chunk().lastTime();
    }

    /** Points with {@code from <= time <= to}, oldest first. */
    void read(long from, long to, List<long[]> times, List<double[]> values, List<Integer> counts) {
        for (Sealed s : sealed) {
            add(s.chunk(), from, to, times, values, counts);
        }
        add(open, from, to, times, values, counts);
    }

    private static void add(GorillaChunk chunk, long from, long to, List<long[]> times, List<double[]> values,
                            List<Integer> counts) {
        if (chunk.count() == 0 || chunk.lastTime() < from || chunk.firstTime() > to) {
            return;
        }
        long[] t = new long[chunk.count()];
        double[] v = new double[chunk.count()];
        chunk.decode(t, v);
        times.add(t);
        values.add(v);
        counts.add(chunk.count());
    }

    /** Applies retention and downsampling; returns true when the series is now empty. */
    boolean compact(long now, long retentionMillis, long fullResolutionMillis, long coarseStepMillis) {
        sealed.removeIf(s -> s.chunk().lastTime() < now - retentionMillis);
        for (int i = 0; i < sealed.size(); i++) {
            Sealed s = sealed.get(i);
            if (!s.coarse() && s.chunk().lastTime() < now - fullResolutionMillis) {
                sealed.set(i, new Sealed(downsample(s.chunk(), coarseStepMillis), true));
            }
        }
        mergeCoarse();
        if (open.count() > 0 && open.lastTime() < now - retentionMillis) {
            open = new GorillaChunk();
        }
        return sealed.isEmpty() && open.count() == 0;
    }

    /**
     * Joins runs of coarse chunks into chunks of up to {@link #CHUNK_POINTS} points: a coarse chunk
     * holds ~30 points, and its objects would otherwise weigh as much as its data.
     */
    private void mergeCoarse() {
        List<Sealed> merged = new ArrayList<>(sealed.size());
        for (Sealed s : sealed) {
            Sealed last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.coarse() && s.coarse()
                    && last.chunk().count() + s.chunk().count() <= CHUNK_POINTS) {
                merged.set(merged.size() - 1, new Sealed(concat(last.chunk(), s.chunk()), true));
            } else {
                merged.add(s);
            }
        }
        sealed.clear();
        sealed.addAll(merged);
    }

    private static GorillaChunk concat(GorillaChunk first, GorillaChunk second) {
        GorillaChunk out = new GorillaChunk();
        for (GorillaChunk chunk : List.of(first, second)) {
            long[] t = new long[chunk.count()];
            double[] v = new double[chunk.count()];
            int n = chunk.decode(t, v);
            for (int i = 0; i < n; i++) {
                out.append(t[i], v[i]);
            }
        }
        out.trim();
        return out;
    }

    static GorillaChunk downsample(GorillaChunk chunk, long step) {
        long[] t = new long[chunk.count()];
        double[] v = new double[chunk.count()];
        chunk.decode(t, v);
        TrendStore.Points coarse = new TrendStore.Points(t, v).bucketed(step);
        GorillaChunk out = new GorillaChunk();
        for (int i = 0; i < coarse.size(); i++) {
            out.append(coarse.times()[i], coarse.values()[i]);
        }
        out.trim();
        return out;
    }

    int bytes() {
        int total = open.sizeBytes();
        for (Sealed s : sealed) {
            total += s.chunk().sizeBytes();
        }
        return total;
    }

    long retainedBytes() {
        long total = open.retainedBytes();
        for (Sealed s : sealed) {
            total += s.chunk().retainedBytes();
        }
        return total;
    }

    int points() {
        int total = open.count();
        for (Sealed s : sealed) {
            total += s.chunk().count();
        }
        return total;
    }
}
