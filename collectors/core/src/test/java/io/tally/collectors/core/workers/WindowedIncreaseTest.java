package io.tally.collectors.core.workers;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WindowedIncreaseTest {
    private static final long S = 1_000_000_000L;

    @Test
    void growthIsMeasuredFromTheLastReadingBeforeTheWindowAndARestartStartsOver() {
        WindowedIncrease dlq = new WindowedIncrease(300 * S);
        assertThat(dlq.observe("a", 0, 5)).isZero();
        assertThat(dlq.observe("a", 100 * S, 7)).isEqualTo(2);
        assertThat(dlq.observe("a", 250 * S, 9)).isEqualTo(4);
        // At 400 s the window starts at 100 s: measured from the reading at 100 s (7).
        assertThat(dlq.observe("a", 400 * S, 9)).isEqualTo(2);
        // Nothing new for a whole window: no growth.
        assertThat(dlq.observe("a", 700 * S, 9)).isZero();
        // The total went down: the source restarted; the history starts again.
        assertThat(dlq.observe("a", 710 * S, 1)).isZero();
        assertThat(dlq.observe("a", 720 * S, 3)).isEqualTo(2);
    }

    @Test
    void keysAreIndependentAndForgottenOnRequest() {
        WindowedIncrease dlq = new WindowedIncrease(300 * S);
        dlq.observe("a", 0, 1);
        dlq.observe("b", 0, 10);
        assertThat(dlq.observe("a", S, 2)).isEqualTo(1);
        assertThat(dlq.observe("b", S, 10)).isZero();
        dlq.retain(Set.of("a"));
        // b was forgotten: its next reading starts a new history.
        assertThat(dlq.observe("b", 2 * S, 50)).isZero();
    }

    @Test
    void historyIsBoundedPerKey() {
        WindowedIncrease dlq = new WindowedIncrease(Long.MAX_VALUE / 4);
        for (int i = 0; i < 10 * WindowedIncrease.MAX_READINGS; i++) {
            dlq.observe("a", i, i);
        }
        // Only the newest MAX_READINGS readings are kept (this one included): growth is measured from the oldest.
        assertThat(dlq.observe("a", Long.MAX_VALUE / 8, 10 * WindowedIncrease.MAX_READINGS))
                .isEqualTo(WindowedIncrease.MAX_READINGS - 1);
    }
}
