package io.tally.app.exposition;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;

import java.util.List;
import java.util.Locale;

/**
 * Dropwizard's own metric names are dotted camel case
 * ({@code io.dropwizard.jetty.MutableServletContextHandler.get-requests}); Prometheus wants snake
 * case ({@code promtool check metrics} says so). Same sanitizing as the default builder, then
 * camel humps become underscores.
 */
final class SnakeCaseSampleBuilder implements SampleBuilder {
    private final DefaultSampleBuilder sanitizer = new DefaultSampleBuilder();

    @Override
    public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix,
                                                             List<String> additionalLabelNames,
                                                             List<String> additionalLabelValues, double value) {
        Collector.MetricFamilySamples.Sample s = sanitizer.createSample(dropwizardName, nameSuffix,
                additionalLabelNames, additionalLabelValues, value);
        return new Collector.MetricFamilySamples.Sample(snakeCase(s.name), s.labelNames, s.labelValues, s.value);
    }

    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                char prev = i > 0 ? name.charAt(i - 1) : '_';
                if (prev != '_' && !Character.isUpperCase(prev)) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        String snake = out.toString();
        while (snake.contains("__")) {
            snake = snake.replace("__", "_");
        }
        return snake.toLowerCase(Locale.ROOT);
    }
}
