package io.tally.collectors.queue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Burrow's partition rules on recorded offsets (oldest first), window 4. One partition, each poll
 * written {@code committed/logEnd} ({@code -} where the group committed nothing), log start 0;
 * the cases follow Burrow's own (core/internal/evaluator/caching_test.go) where they apply.
 */
class OffsetWindowTest {

    @ParameterizedTest(name = "{0} members={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "10/10 20/20 30/30 40/40     | 1 | ok",       // caught up at every poll
        "10/20 20/30 30/40 40/50     | 1 | warn",     // committing, but the lag never falls (rule 5)
        "10/20 20/25 30/40 40/50     | 1 | ok",       // the lag fell once: keeping up
        "10/20 10/25 10/30 10/40     | 1 | stalled",  // lag every poll, committed offset never moves (rule 4)
        "10/20 20/20 20/25 20/30     | 1 | ok",       // lag was zero within the window (rule 1)
        "10/20 10/25 10/30 10/40     | 0 | stopped",  // nobody in the group: nobody commits (rule 3)
        "20/20 20/20 20/20 20/30     | 0 | ok",       // stopped, but it was caught up moments ago
        "40/50 45/55 20/60 30/70     | 1 | warn",     // rewound and not back where it was (rule 2)
        "40/50 45/55 20/60 50/90     | 1 | warn",     // back past the rewind, but the lag never fell (rule 5)
        "40/50 45/55 20/60 60/61     | 1 | ok",       // back past the rewind and the lag fell
        "10/20 10/25                 | 1 | ok",       // window not full: no stall yet
        "10/20 10/25                 | 0 | stopped",  // stopped needs no full window
        "-/20 -/25 -/30 -/40         | 1 | stalled",  // never committed: all of it is lag, nothing moves
        "30/30 30/30 30/30 30/30     | 0 | ok",       // no members, nothing waiting
    })
    void verdicts(String polls, int members, String expected) {
        List<PartitionOffsets> series = Arrays.stream(polls.trim().split("\\s+")).map(OffsetWindowTest::poll).toList();
        assertThat(OffsetWindow.judge(series, 4, members).label()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "worst of {0} and {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "10/10 20/20 30/30 40/40 | 10/20 20/30 30/40 40/50 | warn",
        "10/20 20/30 30/40 40/50 | 10/20 10/25 10/30 10/40 | stalled",
        "10/10 20/20 30/30 40/40 | 10/10 20/20 30/30 40/40 | ok",
    })
    void theQueueTakesItsWorstPartition(String first, String second, String expected) {
        String[] a = first.trim().split("\\s+");
        String[] b = second.trim().split("\\s+");
        List<PartitionOffsets> series = new java.util.ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            PartitionOffsets p0 = poll(a[i]);
            PartitionOffsets p1 = poll(b[i]);
            series.add(new PartitionOffsets(new long[] {0, 0}, new long[] {p0.logEnd()[0], p1.logEnd()[0]},
                    new long[] {p0.committed()[0], p1.committed()[0]}, true));
        }
        assertThat(OffsetWindow.judge(series, 4, 1).label()).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void ratesComeFromLogEndAndCommittedOffsetsOverTheWindow() {
        OffsetWindow window = new OffsetWindow(3);
        window.add(0, poll("10/20"));
        assertThat(window.messagesInPerSecond()).isNull();
        window.add(1_000_000_000L, poll("15/30"));
        window.add(2_000_000_000L, poll("30/40"));
        assertThat(window.messagesInPerSecond()).isEqualTo(10.0);
        assertThat(window.consumedPerSecond()).isEqualTo(10.0);
        window.add(3_000_000_000L, poll("30/40"));
        assertThat(window.messagesInPerSecond()).isEqualTo(5.0);   // 30 -> 40 over the last 2 s
        assertThat(window.consumedPerSecond()).isEqualTo(7.5);     // 15 -> 30
        // A partition added: the window starts again rather than mixing partition counts.
        window.add(4_000_000_000L, new PartitionOffsets(new long[2], new long[] {40, 5}, new long[] {30, -1}, true));
        assertThat(window.messagesInPerSecond()).isNull();
    }

    private static PartitionOffsets poll(String text) {
        String[] parts = text.split("/");
        long committed = parts[0].equals("-") ? -1 : Long.parseLong(parts[0]);
        return new PartitionOffsets(new long[] {0}, new long[] {Long.parseLong(parts[1])}, new long[] {committed}, true);
    }
}
