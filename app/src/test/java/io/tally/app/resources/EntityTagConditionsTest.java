package io.tally.app.resources;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tally.app.resources.EntityTagConditions.Outcome.NOT_MODIFIED;
import static io.tally.app.resources.EntityTagConditions.Outcome.PRECONDITION_FAILED;
import static io.tally.app.resources.EntityTagConditions.Outcome.PROCEED;
import static org.assertj.core.api.Assertions.assertThat;

class EntityTagConditionsTest {
    private static EntityTagConditions.Outcome ifNoneMatch(String... lines) {
        return EntityTagConditions.evaluate("7-ab", null, List.of(lines));
    }

    private static EntityTagConditions.Outcome ifMatch(String... lines) {
        return EntityTagConditions.evaluate("7-ab", List.of(lines), null);
    }

    @Test
    void ifNoneMatchUsesTheWeakComparison() {
        assertThat(ifNoneMatch("\"7-ab\"")).isEqualTo(NOT_MODIFIED);
        assertThat(ifNoneMatch("W/\"7-ab\"")).isEqualTo(NOT_MODIFIED);
        assertThat(ifNoneMatch("\"x\", W/\"7-ab\"")).isEqualTo(NOT_MODIFIED);
        assertThat(ifNoneMatch("\"x\"", "\"7-ab\"")).as("two field lines are one list").isEqualTo(NOT_MODIFIED);
        assertThat(ifNoneMatch(" * ")).isEqualTo(NOT_MODIFIED);
        assertThat(ifNoneMatch("\"x\",,  ,\"7-ab\"")).as("empty list elements").isEqualTo(NOT_MODIFIED);
        assertThat(ifNoneMatch("\"7-AB\"")).isEqualTo(PROCEED);
        assertThat(ifNoneMatch("\"x\"")).isEqualTo(PROCEED);
    }

    @Test
    void ifMatchUsesTheStrongComparisonAndComesFirst() {
        assertThat(ifMatch("\"7-ab\"")).isEqualTo(PROCEED);
        assertThat(ifMatch("*")).isEqualTo(PROCEED);
        assertThat(ifMatch("W/\"7-ab\"")).isEqualTo(PRECONDITION_FAILED);
        assertThat(ifMatch("\"x\"")).isEqualTo(PRECONDITION_FAILED);
        assertThat(EntityTagConditions.evaluate("7-ab", List.of("\"x\""), List.of("\"7-ab\"")))
                .isEqualTo(PRECONDITION_FAILED);
    }

    @Test
    void malformedFieldsAreIgnored() {
        for (String bad : List.of("garbage", "7-ab", "\"7-ab", "7-ab\"", "W/", "W/7-ab", "w/\"7-ab\"", "\"7-ab\" \"x\"",
                "*, \"7-ab\"", "**", "\"7-ab\"; q=1", ",", "", "\"7 ab\"", "\"\u0100\"")) {
            assertThat(EntityTagConditions.parse(List.of(bad))).as(bad).isNull();
            assertThat(ifNoneMatch(bad)).as(bad).isEqualTo(PROCEED);
            assertThat(ifMatch(bad)).as(bad).isEqualTo(PROCEED);
        }
        assertThat(EntityTagConditions.evaluate("7-ab", null, null)).isEqualTo(PROCEED);
        assertThat(EntityTagConditions.evaluate("7-ab", List.of(), List.of())).isEqualTo(PROCEED);
    }
}
