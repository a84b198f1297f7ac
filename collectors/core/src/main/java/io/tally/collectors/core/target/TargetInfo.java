package io.tally.collectors.core.target;

import io.tally.collectors.core.TargetFact;

/** The target itself as a fact: discovery attaches it so the per-target view can show it. */
public record TargetInfo(Target target) implements TargetFact {
}
