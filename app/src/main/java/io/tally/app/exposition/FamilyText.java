package io.tally.app.exposition;

import io.tally.app.metrics.PreviousSeries;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One family's text in one format, kept as slices of byte arrays rather than one array: the
 * family's next version references the bytes of every series that did not change where they already
 * are, and writes only the series that changed into new chunks, so a probe round that changes a
 * tenth of the targets costs a tenth of the family's text, not a copy of all of it (megabytes at
 * 10 000 targets). Slices are numbered 0 for the header (HELP, TYPE, UNIT), then one per series
 * (samples, then histograms); the text is the slices in order. Slices that follow each other in the
 * same chunk are written as one run.
 *
 * <p>A chunk stays reachable while any of its slices is live, so when more than half of the bytes
 * the family references are dead (their series changed since), the family is compacted into one
 * fresh array: memory stays within twice the text's size, and the copy is paid at most once per the
 * text's size in changed bytes.
 *
 * <p>Immutable once rendered; no chunk is written after it is made.
 */
final class FamilyText {
    /** Compact when the referenced chunks hold more than this many times the live bytes. */
    static final int MAX_REFERENCED_PER_LIVE = 2;
    /**
     * Fresh text is cut into chunks of about this many bytes: the scratch buffer stays this small
     * instead of growing to a whole family's changed text, and no chunk is a humongous allocation.
     */
    static final int CHUNK = 64 * 1024;
    /** The chunk of a slice written into the scratch buffer and not yet cut into a chunk. */
    private static final int PENDING = -1;

    final MetricFamily family;
    private final byte[][] chunks;
    /** Slice {@code s} is {@code chunks[chunkOf[s]]} from {@code starts[s]} to {@code ends[s]}. */
    private final int[] chunkOf;
    private final int[] starts;
    private final int[] ends;
    /** What {@link #writeTo} writes: run {@code r} is {@code runLengths[r]} bytes of {@code runChunks[r]}. */
    private final byte[][] runChunks;
    private final int[] runOffsets;
    private final int[] runLengths;
    private final long length;

    private FamilyText(MetricFamily family, byte[][] chunks, int[] chunkOf, int[] starts, int[] ends) {
        this.family = family;
        this.chunks = chunks;
        this.chunkOf = chunkOf;
        this.starts = starts;
        this.ends = ends;
        int runs = 0;
        long total = 0;
        for (int s = 0; s < chunkOf.length; s++) {
            total += ends[s] - starts[s];
            if (!continues(s)) {
                runs++;
            }
        }
        this.length = total;
        this.runChunks = new byte[runs][];
        this.runOffsets = new int[runs];
        this.runLengths = new int[runs];
        int r = -1;
        for (int s = 0; s < chunkOf.length; s++) {
            if (!continues(s)) {
                r++;
                runChunks[r] = chunks[chunkOf[s]];
                runOffsets[r] = starts[s];
            }
            runLengths[r] += ends[s] - starts[s];
        }
    }

    /** Whether slice {@code s} follows the one before it in the same chunk, so the two are one run. */
    private boolean continues(int s) {
        return s > 0 && chunkOf[s] == chunkOf[s - 1] && starts[s] == ends[s - 1];
    }

    /**
     * Each series is either found unchanged in the previous text, and its slice kept, or written
     * afresh; fresh text is cut into new chunks.
     *
     * @param previous the text of the family's previous version in the same format, or null
     * @param scratch  a buffer to write into, reused across the families of one render
     */
    static FamilyText render(MetricFamily family, ExpositionFormat format, FamilyText previous,
                             StringBuilder scratch) {
        MetricDescriptor d = family.descriptor();
        boolean reuse = previous != null && sameDescriptor(previous.family.descriptor(), d);
        int count = family.seriesCount();
        Slices slices = new Slices(count + 1, reuse ? previous : null, scratch);
        if (reuse) {
            slices.keep(0, 0);
        } else {
            SnapshotTextWriter.writeHeader(d, format, scratch);
            slices.written(0, 0);
        }
        PreviousSeries before = new PreviousSeries(reuse ? previous.family : null);
        String sampleName = d.sampleName();
        List<Sample> samples = family.samples();
        List<HistogramSample> histograms = family.histograms();
        List<Sample> samplesBefore = reuse ? previous.family.samples() : List.of();
        List<HistogramSample> histogramsBefore = reuse ? previous.family.histograms() : List.of();
        for (int i = 0; i < count; i++) {
            boolean sample = i < samples.size();
            Object series = sample ? samples.get(i) : histograms.get(i - samples.size());
            // Most series are the very object they were, in the same place: kept on comparing
            // references, without reading the series (reading every series' labels, a cache miss
            // or two each at 10 000 targets, was the largest cost of a 10 % change).
            if (seriesAt(samplesBefore, histogramsBefore, i) == series) {
                slices.keep(i + 1, i + 1);
                continue;
            }
            List<String> labels = sample ? ((Sample) series).labelValues() : ((HistogramSample) series).labelValues();
            int at = before.indexOf(i, labels, sample);
            if (at >= 0 && unchanged(before.series(at), series)) {
                slices.keep(at + 1, i + 1);
            } else {
                int from = scratch.length();
                if (sample) {
                    SnapshotTextWriter.writeSample(sampleName, d.labelNames(), (Sample) series, scratch);
                } else {
                    SnapshotTextWriter.writeHistogram(d, (HistogramSample) series, scratch);
                }
                slices.written(i + 1, from);
            }
        }
        return slices.text(family);
    }

    /** Writes the family's text: its runs one after the other. */
    void writeTo(OutputStream out) throws IOException {
        for (int r = 0; r < runChunks.length; r++) {
            out.write(runChunks[r], runOffsets[r], runLengths[r]);
        }
    }

    /** The bytes of the family's text. */
    long length() {
        return length;
    }

    /** The bytes of every array the text keeps reachable, live or dead. */
    long referencedBytes() {
        long referenced = 0;
        for (byte[] chunk : chunks) {
            referenced += chunk.length;
        }
        return referenced;
    }

    /** How many arrays the text is sliced from. */
    int chunkCount() {
        return chunks.length;
    }

    /**
     * The length of {@code text}'s chars {@code from} to {@code to} as {@link String#getBytes} encodes
     * them in UTF-8, where a surrogate without its pair becomes one {@code ?}.
     */
    static int utf8Length(CharSequence text, int from, int to) {
        int length = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** Series {@code i} of a family's samples then histograms, or null past their end. */
    private static Object seriesAt(List<Sample> samples, List<HistogramSample> histograms, int i) {
        if (i < samples.size()) {
            return samples.get(i);
        }
        return i - samples.size() < histograms.size() ? histograms.get(i - samples.size()) : null;
    }

    private static boolean unchanged(Object before, Object now) {
        return before == now || before.equals(now);
    }

    private static boolean sameDescriptor(MetricDescriptor a, MetricDescriptor b) {
        return a == b || a.sameShape(b) && a.help().equals(b.help());
    }

    /** The slices of a family's next text as they are decided, slice by slice in order. */
    private static final class Slices {
        private final int[] chunkOf;
        private final int[] starts;
        private final int[] ends;
        private final FamilyText previous;
        /** The index each of the previous text's chunks has in this one, once one of its slices is kept. */
        private final int[] keptAs;
        private final List<byte[]> chunks = new ArrayList<>();
        private final StringBuilder scratch;
        /** The first slice written into the scratch buffer since it was last cut into a chunk. */
        private int firstPending = -1;

        Slices(int count, FamilyText previous, StringBuilder scratch) {
            this.chunkOf = new int[count];
            this.starts = new int[count];
            this.ends = new int[count];
            this.previous = previous;
            this.keptAs = previous == null ? null : new int[previous.chunks.length];
            if (keptAs != null) {
                Arrays.fill(keptAs, -1);
            }
            this.scratch = scratch;
            scratch.setLength(0);
        }

        /** Slice {@code from} of the previous text is slice {@code to} of this one, where it is. */
        void keep(int from, int to) {
            int chunk = previous.chunkOf[from];
            if (keptAs[chunk] < 0) {
                keptAs[chunk] = chunks.size();
                chunks.add(previous.chunks[chunk]);
            }
            chunkOf[to] = keptAs[chunk];
            starts[to] = previous.starts[from];
            ends[to] = previous.ends[from];
        }

        /** Slice {@code s} was just written into the scratch buffer, from char {@code from} to its end. */
        void written(int s, int from) {
            chunkOf[s] = PENDING;
            starts[s] = from;
            ends[s] = scratch.length();
            if (firstPending < 0) {
                firstPending = s;
            }
            if (scratch.length() >= CHUNK) {
                cut();
            }
        }

        /**
         * Makes the scratch buffer's text a chunk and gives its slices their byte offsets. Slices are
         * whole lines, so a character's UTF-8 bytes never straddle two of them; when the text is
         * ASCII (as nearly always) the offsets are the chars' and nothing is counted.
         */
        private void cut() {
            byte[] bytes = scratch.toString().getBytes(StandardCharsets.UTF_8);
            boolean ascii = bytes.length == scratch.length();
            int chunk = chunks.size();
            chunks.add(bytes);
            int at = 0;
            for (int s = firstPending; s < chunkOf.length; s++) {
                if (chunkOf[s] != PENDING) {
                    continue;
                }
                chunkOf[s] = chunk;
                if (!ascii) {
                    int length = utf8Length(scratch, starts[s], ends[s]);
                    starts[s] = at;
                    ends[s] = at + length;
                    at += length;
                }
            }
            scratch.setLength(0);
            firstPending = -1;
        }

        FamilyText text(MetricFamily family) {
            if (!scratch.isEmpty()) {
                cut();
            }
            byte[][] all = chunks.toArray(new byte[0][]);
            long live = 0;
            for (int s = 0; s < chunkOf.length; s++) {
                live += ends[s] - starts[s];
            }
            long referenced = 0;
            for (byte[] chunk : all) {
                referenced += chunk.length;
            }
            if (referenced > MAX_REFERENCED_PER_LIVE * live) {
                return compacted(family, all, Math.toIntExact(live));
            }
            return new FamilyText(family, all, chunkOf, starts, ends);
        }

        /** The text copied into one array of its exact size, so every dead byte is let go. */
        private FamilyText compacted(MetricFamily family, byte[][] all, int live) {
            byte[] text = new byte[live];
            int at = 0;
            for (int s = 0; s < chunkOf.length; s++) {
                int length = ends[s] - starts[s];
                System.arraycopy(all[chunkOf[s]], starts[s], text, at, length);
                chunkOf[s] = 0;
                starts[s] = at;
                at += length;
                ends[s] = at;
            }
            return new FamilyText(family, new byte[][] {text}, chunkOf, starts, ends);
        }
    }
}
