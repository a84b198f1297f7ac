package io.tally.app.exposition;

import io.tally.app.metrics.PreviousSeries;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One family's text in one format, with where each series' lines end, so that the family's next
 * version copies the bytes of every series that did not change and writes only those that did
 * (a probe round changes a share of the targets, not all of them).
 */
final class FamilyText {
    final MetricFamily family;
    final byte[] text;
    private final int headerEnd;
    /** Where the lines of series {@code i} (samples, then histograms) end in {@link #text}. */
    private final int[] ends;

    private FamilyText(MetricFamily family, byte[] text, int headerEnd, int[] ends) {
        this.family = family;
        this.text = text;
        this.headerEnd = headerEnd;
        this.ends = ends;
    }

    /**
     * In two passes, so the text is allocated once at its exact size (it is megabytes at 10 000
     * targets): first each series is either found unchanged in the previous text or written afresh,
     * then the text is assembled, a run of unchanged series in one copy.
     *
     * @param previous the text of the family's previous version in the same format, or null
     */
    static FamilyText render(MetricFamily family, ExpositionFormat format, FamilyText previous) {
        MetricDescriptor d = family.descriptor();
        boolean reuse = previous != null && sameDescriptor(previous.family.descriptor(), d);
        StringBuilder scratch = new StringBuilder(256);
        byte[] header;
        if (reuse) {
            header = null;
        } else {
            SnapshotTextWriter.writeHeader(d, format, scratch);
            header = bytes(scratch);
        }
        int headerLength = reuse ? previous.headerEnd : header.length;
        PreviousSeries before = new PreviousSeries(reuse ? previous.family : null);
        int count = family.seriesCount();
        int[] kept = new int[count];
        byte[][] fresh = new byte[count][];
        int[] ends = new int[count];
        int size = headerLength;
        String sampleName = d.sampleName();
        List<Sample> samples = family.samples();
        List<HistogramSample> histograms = family.histograms();
        for (int i = 0; i < count; i++) {
            boolean sample = i < samples.size();
            Object series = sample ? samples.get(i) : histograms.get(i - samples.size());
            List<String> labels = sample ? ((Sample) series).labelValues() : ((HistogramSample) series).labelValues();
            int at = before.indexOf(i, labels, sample);
            if (at >= 0 && unchanged(before.series(at), series)) {
                kept[i] = at;
                size += previous.ends[at] - previous.start(at);
            } else {
                kept[i] = -1;
                scratch.setLength(0);
                if (sample) {
                    SnapshotTextWriter.writeSample(sampleName, d.labelNames(), (Sample) series, scratch);
                } else {
                    SnapshotTextWriter.writeHistogram(d, (HistogramSample) series, scratch);
                }
                fresh[i] = bytes(scratch);
                size += fresh[i].length;
            }
            ends[i] = size;
        }

        byte[] text = new byte[size];
        if (reuse) {
            System.arraycopy(previous.text, 0, text, 0, headerLength);
        } else {
            System.arraycopy(header, 0, text, 0, headerLength);
        }
        int runFrom = -1;
        int runTo = -1;
        int runAt = 0;
        int at = headerLength;
        for (int i = 0; i < count; i++) {
            if (kept[i] >= 0) {
                int from = previous.start(kept[i]);
                if (from != runTo) {
                    if (runFrom >= 0) {
                        System.arraycopy(previous.text, runFrom, text, runAt, runTo - runFrom);
                    }
                    runFrom = from;
                    runAt = at;
                }
                runTo = previous.ends[kept[i]];
                at += runTo - from;
            } else {
                if (runFrom >= 0) {
                    System.arraycopy(previous.text, runFrom, text, runAt, runTo - runFrom);
                    runFrom = -1;
                    runTo = -1;
                }
                System.arraycopy(fresh[i], 0, text, at, fresh[i].length);
                at += fresh[i].length;
            }
        }
        if (runFrom >= 0) {
            System.arraycopy(previous.text, runFrom, text, runAt, runTo - runFrom);
        }
        return new FamilyText(family, text, headerLength, ends);
    }

    private static byte[] bytes(StringBuilder text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private int start(int series) {
        return series == 0 ? headerEnd : ends[series - 1];
    }

    private static boolean unchanged(Object before, Object now) {
        return before == now || before.equals(now);
    }

    private static boolean sameDescriptor(MetricDescriptor a, MetricDescriptor b) {
        return a == b || a.sameShape(b) && a.help().equals(b.help());
    }
}
