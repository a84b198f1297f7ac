package io.tally.app;

import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tally.app.config.TallyConfiguration;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/collectors in step with the code: every page's "## Example" YAML must be accepted by
 * the real configuration factory, with validation, exactly as config.yml would be.
 */
class DocsExamplesTest {
    private static final Path DOCS = Path.of("..", "docs", "collectors");

    @TestFactory
    Stream<DynamicTest> everyCollectorPageHasAnExampleThatParses() throws IOException {
        List<Path> pages;
        try (Stream<Path> list = Files.list(DOCS)) {
            pages = list.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.getFileName().toString().equals("queues-common.md")).sorted().toList();
        }
        assertThat(pages).extracting(p -> p.getFileName().toString())
                .contains("static.md", "file.md", "http.md", "dns.md", "health.md", "rabbitmq.md", "redis.md", "nats.md", "kafka.md",
                        "prometheus-publisher.md");
        return pages.stream().map(page -> DynamicTest.dynamicTest(page.getFileName().toString(), () -> {
            // The pages show collector blocks; the server part is the loopback one config.yml has.
            String yaml = """
                    server:
                      applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                    """ + example(Files.readString(page));
            Path config = Files.createTempFile("doc-example", ".yml");
            try {
                Files.writeString(config, yaml);
                YamlConfigurationFactory<TallyConfiguration> factory = new YamlConfigurationFactory<>(
                        TallyConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
                TallyConfiguration parsed = factory.build(config.toFile());
                assertThat(parsed).isNotNull();
            } finally {
                Files.deleteIfExists(config);
            }
        }));
    }

    static String example(String markdown) {
        int heading = markdown.indexOf("\n## Example");
        assertThat(heading).as("a '## Example' section").isPositive();
        int start = markdown.indexOf("```yaml\n", heading);
        assertThat(start).as("a yaml block under '## Example'").isPositive();
        int end = markdown.indexOf("```", start + 8);
        return markdown.substring(start + 8, end);
    }

}
