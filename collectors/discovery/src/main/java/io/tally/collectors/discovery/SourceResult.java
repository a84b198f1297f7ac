package io.tally.collectors.discovery;

import io.tally.collectors.core.catalog.Target;

import java.util.List;
import java.util.Map;

/**
 * What one source found in one lookup: valid targets and rejected entries.
 *
 * @param objectCounts for sources that read objects (Kubernetes Secrets), how many of each kind
 *                     ended in each status, keyed by [kind, status]; empty for the others
 */
public record SourceResult(List<Target> targets, List<InvalidEntry> invalid, Map<List<String>, Integer> objectCounts) {
    public SourceResult {
        targets = List.copyOf(targets);
        invalid = List.copyOf(invalid);
        objectCounts = Map.copyOf(objectCounts);
    }

    public SourceResult(List<Target> targets, List<InvalidEntry> invalid) {
        this(targets, invalid, Map.of());
    }
}
