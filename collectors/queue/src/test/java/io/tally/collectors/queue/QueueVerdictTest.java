package io.tally.collectors.queue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdict rules on recorded depth sequences (oldest first), window 5, as Burrow documents its own. */
class QueueVerdictTest {

    @ParameterizedTest(name = "{0} consumers={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "0 0 0 0 0       | 1    | ok",       // empty and idle
        "5 3 0 2 1       | 1    | ok",       // moving
        "1 2 3 4 5       | 1    | warn",     // rising through the window
        "1 1 2 2 3       | 1    | warn",     // never fell, ended higher
        "1 2 3 2 5       | 1    | ok",       // fell once: being consumed
        "7 7 7 7 7       | 1    | stalled",  // not moving
        "7 7 7 7 7       |      | stalled",  // consumers unknown (Redis list): still stalled
        "3 2 1 1 4       | 0    | stopped",  // messages and no consumer
        "0 0 0 0 0       | 0    | ok",       // no consumer, nothing waiting
        "1 2 3           | 1    | ok",       // window not full yet
        "9               | 0    | stopped",  // stopped needs no history
    })
    void verdicts(String depths, Integer consumers, String expected) {
        List<Long> series = Arrays.stream(depths.trim().split("\\s+")).map(Long::parseLong).toList();
        assertThat(QueueVerdict.judge(series, 5, consumers).label()).isEqualTo(expected);
    }
}
