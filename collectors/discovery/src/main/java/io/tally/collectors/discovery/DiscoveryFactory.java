package io.tally.collectors.discovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorEnvironment;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code discovery:} block: where targets come from and how the list stays fresh. Builds the
 * refresh manager (registered as a managed source) and the {@code discovery} and {@code refresh}
 * collectors.
 */
public class DiscoveryFactory {
    @Valid
    @NotNull
    @JsonProperty
    private RefreshSettings refresh = new RefreshSettings();

    @Valid
    @NotNull
    @JsonProperty
    private List<TargetSourceFactory> sources = List.of();

    public RefreshSettings getRefresh() {
        return refresh;
    }

    public List<TargetSourceFactory> getSources() {
        return sources;
    }

    @ValidationMethod(message = "discovery source names must be unique (give two sources of one type a 'name')")
    public boolean isSourceNamesUnique() {
        Set<String> names = new HashSet<>();
        return sources.stream().allMatch(s -> s.getName() != null && names.add(s.getName()));
    }

    /** What the app wires: the manager (for the admin refresh task) and the two collectors. */
    public record Components(RefreshManager manager, List<Collector> collectors) {
    }

    public Components build(CollectorEnvironment environment) {
        List<TargetSource> built = sources.stream().map(f -> f.build(environment.clock())).toList();
        // Discovery sees every target; its collector reports (as target facts) only the ones this replica owns.
        RefreshManager manager = new RefreshManager(built, refresh, environment.discoveredTargets(), environment.clock(),
                environment.scheduler());
        environment.manage(manager);
        return new Components(manager, List.of(new DiscoveryCollector(manager, environment.targets()),
                new RefreshCollector(manager)));
    }
}
