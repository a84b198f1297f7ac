package io.tally.collectors.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;

/** Builds factories the way config.yml does: through Dropwizard's mapper and Discoverable types. */
final class TestSupport {
    static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    private TestSupport() {
    }

    static TargetSourceFactory source(String yaml) throws Exception {
        return YAML.readValue(yaml, TargetSourceFactory.class);
    }

    static DiscoveryFactory discovery(String yaml) throws Exception {
        return YAML.readValue(yaml, DiscoveryFactory.class);
    }
}
