package io.tally.app.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.tally.app.stats.HealthScore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RenderedViewsTest {
    private final ObjectMapper json = Jackson.newObjectMapper();
    private final RenderedViews views = new RenderedViews(json);
    private final AtomicInteger renders = new AtomicInteger();

    private Object body(String text) {
        renders.incrementAndGet();
        return Map.of("text", text);
    }

    private String get(long snapshot, long trends, String view, String text) {
        return new String(views.get(snapshot, trends, view, () -> body(text)), StandardCharsets.UTF_8);
    }

    @Test
    void aViewIsRenderedOncePerEpoch() {
        assertThat(get(1, 1, "a", "first")).isEqualTo("{\"text\":\"first\"}");
        assertThat(get(1, 1, "a", "second")).isEqualTo("{\"text\":\"first\"}");
        assertThat(get(1, 1, "b", "other")).isEqualTo("{\"text\":\"other\"}");
        assertThat(renders).hasValue(2);

        assertThat(get(1, 2, "a", "after trends")).isEqualTo("{\"text\":\"after trends\"}");
        assertThat(get(2, 0, "a", "next snapshot")).isEqualTo("{\"text\":\"next snapshot\"}");
        assertThat(renders).hasValue(4);
    }

    @Test
    void aRequestOnAnOlderEpochRendersForItselfAndKeepsTheNewerOne() {
        get(5, 5, "a", "new");
        assertThat(get(4, 9, "a", "old")).isEqualTo("{\"text\":\"old\"}");
        assertThat(get(4, 9, "a", "old again")).isEqualTo("{\"text\":\"old again\"}");
        assertThat(get(5, 5, "a", "not rendered")).isEqualTo("{\"text\":\"new\"}");
        assertThat(renders).hasValue(3);
    }

    @Test
    void bodiesBeyondTheByteBudgetAreRenderedPerRequest() {
        String big = "x".repeat(1 << 20);
        for (int i = 0; i < 40; i++) {
            get(1, 1, "view-" + i, big);
        }
        int before = renders.get();
        get(1, 1, "view-0", big);
        get(1, 1, "view-39", big);
        // The first views fit in the budget and are served from it; the last ones are rendered again.
        assertThat(renders.get() - before).isEqualTo(1);
    }

    @Test
    void theSnapshotObjectIsToldAfreshAndTheRestKept() throws Exception {
        record Info(long sequence, String collectedAt, double ageSeconds) {
        }
        record Body(Info snapshot, List<String> items, Map<String, Integer> counts) {
        }
        Body rendered = new Body(new Info(7, "2026-12-02T09:00:00Z", 0.5), List.of("a", "b"), Map.of("n", 2));
        byte[] once = json.writeValueAsBytes(rendered);

        byte[] now = views.withSnapshotNow(once, new Info(7, "2026-12-02T09:00:00Z", 12.25));

        assertThat(json.readTree(now)).isEqualTo(json.readTree(json.writeValueAsBytes(
                new Body(new Info(7, "2026-12-02T09:00:00Z", 12.25), List.of("a", "b"), Map.of("n", 2)))));
        assertThatThrownBy(() -> views.withSnapshotNow(json.writeValueAsBytes(
                new HealthScore.Report("ok", 1.0, List.of(), List.of())), rendered.snapshot()))
                .isInstanceOf(IllegalStateException.class);
    }
}
