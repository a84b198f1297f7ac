package io.tally.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.YamlConfigurationFactory;
import jakarta.validation.Validator;

import java.io.IOException;
import java.io.InputStream;

/**
 * Dropwizard's YAML configuration, except that a key given twice is an error. YAML parsers keep the
 * last of two equal keys, so a second {@code discovery:} pasted at the end of config.yml would
 * silently replace the first, targets and all.
 */
final class StrictYamlConfiguration<T> extends DefaultConfigurationFactoryFactory<T> {
    @Override
    public ConfigurationFactory<T> create(Class<T> klass, Validator validator, ObjectMapper objectMapper,
                                          String propertyPrefix) {
        return new YamlConfigurationFactory<>(klass, validator, configureObjectMapper(objectMapper.copy()),
                propertyPrefix) {
            @Override
            protected JsonParser createParser(InputStream input) throws IOException {
                return super.createParser(input).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            }
        };
    }
}
