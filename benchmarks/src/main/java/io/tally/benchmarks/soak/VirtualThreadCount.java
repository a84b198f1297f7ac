package io.tally.benchmarks.soak;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Live virtual threads over time, from a JFR recording of {@code jdk.VirtualThreadStart} and
 * {@code jdk.VirtualThreadEnd} (no stack traces) that ran from the JVM's start: at any instant, the
 * threads started minus the threads ended. The soak counts them this way rather than with periodic
 * thread dumps because dumping threads while virtual threads mount and unmount crashed the JVM under
 * test (SIGSEGV in {@code stackChunkOopDesc::sender}, JDK 25.0.3; JDK-8364343).
 */
final class VirtualThreadCount {
    private final long[] starts;
    private final long[] ends;

    private VirtualThreadCount(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    static VirtualThreadCount read(Path recording) throws IOException {
        long[] starts = new long[1024];
        long[] ends = new long[1024];
        int s = 0;
        int e = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                long at = event.getStartTime().toEpochMilli();
                switch (event.getEventType().getName()) {
                    case "jdk.VirtualThreadStart" -> {
                        if (s == starts.length) {
                            starts = Arrays.copyOf(starts, s * 2);
                        }
                        starts[s++] = at;
                    }
                    case "jdk.VirtualThreadEnd" -> {
                        if (e == ends.length) {
                            ends = Arrays.copyOf(ends, e * 2);
                        }
                        ends[e++] = at;
                    }
                    default -> {
                        // other events are not recorded by the soak's settings
                    }
                }
            }
        }
        long[] sortedStarts = Arrays.copyOf(starts, s);
        long[] sortedEnds = Arrays.copyOf(ends, e);
        Arrays.sort(sortedStarts);
        Arrays.sort(sortedEnds);
        return new VirtualThreadCount(sortedStarts, sortedEnds);
    }

    /** Virtual threads alive at this instant (epoch ms). */
    int liveAt(long epochMillis) {
        return upTo(starts, epochMillis) - upTo(ends, epochMillis);
    }

    long started() {
        return starts.length;
    }

    private static int upTo(long[] sorted, long epochMillis) {
        int i = Arrays.binarySearch(sorted, epochMillis);
        if (i < 0) {
            return -i - 1;
        }
        while (i + 1 < sorted.length && sorted[i + 1] == epochMillis) {
            i++;
        }
        return i + 1;
    }
}
