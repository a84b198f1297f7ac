package io.tally.collectors.core.catalog;

/** The target itself as a fact: discovery attaches it so the per-target view can show it. */
public record TargetInfo(Target target) implements TargetFact {
}
