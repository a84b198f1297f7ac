package io.tally.collectors.publisher.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpositionParserTest {
    static final String TEXT_004 = """
            # HELP alertmanager_notifications_total The total number of attempted notifications.
            # TYPE alertmanager_notifications_total counter
            alertmanager_notifications_total{integration="webhook"} 12
            alertmanager_notifications_total{integration="slack",receiver_name="team \\"a\\"\\\\b\\nc"} 3 1700000000000
            # a free comment
            # HELP alertmanager_notification_latency_seconds The latency of notifications in seconds.
            # TYPE alertmanager_notification_latency_seconds histogram
            alertmanager_notification_latency_seconds_bucket{integration="webhook",le="1"} 10
            alertmanager_notification_latency_seconds_bucket{integration="webhook",le="+Inf"} 12
            alertmanager_notification_latency_seconds_sum{integration="webhook"} 4.5e0
            alertmanager_notification_latency_seconds_count{integration="webhook"} 12
            up_no_type 1
            weird_values{a="1",} NaN
            weird_values{a="2"} -Inf
            """;

    static final String OPENMETRICS = """
            # TYPE requests counter
            # UNIT requests
            # HELP requests Requests by code.
            requests_total{code="200"} 7 # {trace_id="abc"} 1.0 1700000000.1
            requests_created{code="200"} 1700000000
            # TYPE temperature_celsius gauge
            # UNIT temperature_celsius celsius
            temperature_celsius 21.5
            # EOF
            ignored_after_eof 1
            """;

    private final ExpositionParser parser = new ExpositionParser(10_000);

    @Test
    void parsesPrometheusText() throws Exception {
        ParsedExposition parsed = parser.parse(TEXT_004);
        ParsedFamily notifications = parsed.family("alertmanager_notifications_total");
        assertThat(notifications.type()).isEqualTo("counter");
        assertThat(notifications.help()).isEqualTo("The total number of attempted notifications.");
        assertThat(notifications.samples()).hasSize(2);
        ParsedSample slack = notifications.samples().get(1);
        assertThat(slack.label("receiver_name")).isEqualTo("team \"a\"\\b\nc");
        assertThat(slack.value()).isEqualTo(3);
        ParsedFamily latency = parsed.family("alertmanager_notification_latency_seconds");
        assertThat(latency.type()).isEqualTo("histogram");
        assertThat(latency.samples()).extracting(ParsedSample::name).contains(
                "alertmanager_notification_latency_seconds_bucket", "alertmanager_notification_latency_seconds_sum");
        assertThat(parsed.family("up_no_type").type()).isEqualTo("untyped");
        assertThat(parsed.family("weird_values").samples()).extracting(ParsedSample::value)
                .containsExactly(Double.NaN, Double.NEGATIVE_INFINITY);
        assertThat(parsed.sampleCount()).isEqualTo(9);
    }

    @Test
    void parsesOpenMetricsWithExemplarsUnitsAndEof() throws Exception {
        ParsedExposition parsed = parser.parse(OPENMETRICS);
        ParsedFamily requests = parsed.family("requests_total");
        assertThat(requests.name()).isEqualTo("requests");
        assertThat(requests.samples()).extracting(ParsedSample::name).containsExactly("requests_total", "requests_created");
        assertThat(requests.samples().get(0).value()).isEqualTo(7);
        assertThat(parsed.family("temperature_celsius").unit()).isEqualTo("celsius");
        assertThat(parsed.family("ignored_after_eof")).isNull();
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> parser.parse("ok 1\nbad{a=\"1\" 2\n")).isInstanceOf(ExpositionParseException.class)
                .hasMessageStartingWith("line 2:");
        assertThatThrownBy(() -> parser.parse("x{a=\"1\",a=\"2\"} 1")).hasMessageContaining("twice");
        assertThatThrownBy(() -> parser.parse("x one")).hasMessageContaining("number");
        assertThatThrownBy(() -> parser.parse("# TYPE x sometype\n")).hasMessageContaining("unknown type");
        assertThatThrownBy(() -> new ExpositionParser(2).parse("a 1\nb 2\nc 3\n")).hasMessageContaining("more than 2");
    }

    /**
     * Random and mutated inputs: only a parse error or a result. Any other exception fails the test
     * (the parser no longer turns its own defects into parse errors), and so does a hang: the time
     * bound is a generous hang detector run on its own thread, not a speed assertion.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fuzzedInputsNeverThrowAnythingButAParseErrorAndNeverHang() {
        Random random = new Random(42);
        String alphabet = "ab_:{}=\",# \\\n\r\t.0123456789eE+-xXpPInfNaTYPEHELPUNITEOFcounterhistogram";
        List<String> seeds = List.of(TEXT_004, OPENMETRICS, "x{" + "a=\"1\",".repeat(20) + "} 1\n",
                "# TYPE h histogram\nh_bucket{le=\"0x1p3\"} 1_000 1.5e3\nh_sum 0x10 # {a=\"b\"} 1\n");
        ExpositionParser tight = new ExpositionParser(50, 4, 120);
        int[] outcomes = new int[2];
        for (int i = 0; i < 50_000; i++) {
            String input;
            if (i % 2 == 0) {
                StringBuilder b = new StringBuilder();
                int length = random.nextInt(200);
                for (int k = 0; k < length; k++) {
                    b.append(random.nextInt(10) == 0 ? (char) random.nextInt(0x10000)
                            : alphabet.charAt(random.nextInt(alphabet.length())));
                }
                input = b.toString();
            } else {
                StringBuilder b = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
                for (int m = 1 + random.nextInt(5); m > 0 && b.length() > 0; m--) {
                    int at = random.nextInt(b.length());
                    switch (random.nextInt(6)) {
                        case 0 -> b.deleteCharAt(at);
                        case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 2 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 3 -> b.setLength(at); // truncated mid-token, as a cut connection leaves it
                        case 4 -> b.insert(at, (char) random.nextInt(0x10000));
                        default -> b.insert(at, b.substring(at, Math.min(b.length(), at + random.nextInt(40))));
                    }
                }
                input = b.toString();
            }
            for (ExpositionParser p : List.of(parser, tight)) {
                try {
                    p.parse(input);
                    outcomes[0]++;
                } catch (ExpositionParseException expected) {
                    outcomes[1]++;
                }
            }
        }
        // Both kinds of outcome happened, so the mutations were neither all harmless nor all fatal.
        assertThat(outcomes[0]).isPositive();
        assertThat(outcomes[1]).isPositive();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hugeSingleLineIsLinear() throws Exception {
        String line = "x{" + "a=\"b\",".repeat(1) + "c=\"" + "\\\\".repeat(200_000) + "\"} 1\n";
        assertThat(parser.parse(line).sampleCount()).isEqualTo(1);
    }

    /** Distinct label names of at most four letters, the shortest a hostile publisher can send. */
    private static String labels(int count) {
        StringBuilder b = new StringBuilder(count * 8);
        for (int n = 0; n < count; n++) {
            int k = n;
            do {
                b.append((char) ('a' + k % 26));
                k /= 26;
            } while (k > 0);
            b.append("=\"\",");
        }
        return b.toString();
    }

    /**
     * A line with 10^6 distinct labels (8 MB, under the default 10 MiB scrape limit). Without limits it
     * is parsed in one linear pass (the per-label check used to compare every pair: 5 x 10^11
     * comparisons, the scrape thread gone for hours); under the default limits it is refused at once
     * with an error naming the limit.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMillionLabelsOnOneLineAreLinearAndRefusedByDefault() throws Exception {
        String line = "hostile{" + labels(1_000_000) + "} 1\n";
        ParsedExposition unlimited = new ExpositionParser(10, Integer.MAX_VALUE, Integer.MAX_VALUE).parse(line);
        assertThat(unlimited.family("hostile").samples().get(0).labelNames()).hasSize(1_000_000);

        assertThatThrownBy(() -> parser.parse(line)).isInstanceOf(ExpositionParseException.class)
                .hasMessageContaining("line length limit of " + ExpositionParser.DEFAULT_MAX_LINE_LENGTH);
        assertThatThrownBy(() -> new ExpositionParser(10, 256, Integer.MAX_VALUE).parse(line))
                .isInstanceOf(ExpositionParseException.class)
                .hasMessageContaining("label limit of 256 labels per sample");
        // A duplicate far into a long label set is still found.
        assertThatThrownBy(() -> new ExpositionParser(10, Integer.MAX_VALUE, Integer.MAX_VALUE)
                .parse("x{" + labels(50_000) + "zz=\"1\",zz=\"2\"} 1\n")).hasMessageContaining("given twice");
    }

    @Test
    void limitsAreNamedAndTheRestOfTheTextIsUntouched() throws Exception {
        ExpositionParser small = new ExpositionParser(100, 3, 60);
        assertThat(small.parse("x{a=\"1\",b=\"2\",c=\"3\"} 1\n").sampleCount()).isEqualTo(1);
        assertThatThrownBy(() -> small.parse("ok 1\nx{a=\"1\",b=\"2\",c=\"3\",d=\"4\"} 1\n"))
                .hasMessage("line 2: sample x is over the label limit of 3 labels per sample");
        assertThatThrownBy(() -> small.parse("ok 1\nok 2\nx{a=\"" + "v".repeat(60) + "\"} 1\n"))
                .hasMessage("line 3: line of 69 characters is over the line length limit of 60");
        // Neither message may read as the sample limit: the publisher files those under too_many_samples.
        assertThatThrownBy(() -> small.parse("x{a=\"1\",b=\"2\",c=\"3\",d=\"4\"} 1\n"))
                .message().doesNotContain("more than");
    }
}
