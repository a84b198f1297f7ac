package io.tally.app.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesNameTest {

    @Test
    void encodesLabelsIntoTheNameAndDecodesThemBack() {
        List<String> names = List.of("target", "note");
        List<String> values = List.of("slack-prod", "quote \" backslash \\ newline \n comma, brace}");
        String encoded = SeriesName.encode("tally_x_total", names, values);

        assertThat(encoded).isEqualTo(
                "tally_x_total{target=\"slack-prod\",note=\"quote \\\" backslash \\\\ newline \\n comma, brace}\"}");
        SeriesName decoded = SeriesName.decode(encoded);
        assertThat(decoded.family()).isEqualTo("tally_x_total");
        assertThat(decoded.labelNames()).isEqualTo(names);
        assertThat(decoded.labelValues()).isEqualTo(values);
    }

    @Test
    void unlabelledNamesAreTheFamilyAlone() {
        assertThat(SeriesName.encode("tally_up", List.of(), List.of())).isEqualTo("tally_up");
        assertThat(SeriesName.decode("tally_up")).isEqualTo(new SeriesName("tally_up", List.of(), List.of()));
        assertThat(SeriesName.decode("a{b=\"\"}").labelValues()).containsExactly("");
    }

    @Test
    void rejectsNamesItDidNotMake() {
        assertThatThrownBy(() -> SeriesName.decode("a{b=\"c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeriesName.decode("a{b}")).isInstanceOf(IllegalArgumentException.class);
    }
}
