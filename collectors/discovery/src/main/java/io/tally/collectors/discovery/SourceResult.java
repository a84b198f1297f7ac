package io.tally.collectors.discovery;

import io.tally.collectors.core.target.Target;

import java.util.List;

/** What one source found in one lookup: valid targets and rejected entries. */
public record SourceResult(List<Target> targets, List<InvalidEntry> invalid) {
    public SourceResult {
        targets = List.copyOf(targets);
        invalid = List.copyOf(invalid);
    }
}
