package io.tally.app;

import io.tally.app.testing.TallyProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plug-in path as a third party uses it: a collector type compiled here, packed into a jar with
 * its service file, dropped on the class path of an unchanged Tally, named in config.yml.
 */
class PluginJarTest {
    private static final String SOURCE = """
            package com.example.tallyplugin;

            import com.fasterxml.jackson.annotation.JsonProperty;
            import com.fasterxml.jackson.annotation.JsonTypeName;
            import io.tally.collectors.core.*;

            @JsonTypeName("example-heartbeat")
            public class HeartbeatCollectorFactory implements CollectorFactory {
                static final MetricDescriptor BEAT = MetricDescriptor.gauge("example_plugin_heartbeat",
                        "Heartbeat of the example plug-in.", "", "collector");

                @JsonProperty private String name = "heartbeat";
                @JsonProperty private double value = 1;

                @Override public String getName() { return name; }

                @Override public Collector build(CollectorEnvironment environment) {
                    return new Collector() {
                        public String name() { return name; }
                        public boolean isAvailable() { return true; }
                        public void collect(CollectionContext context, CollectionOutput out) {
                            out.gauge(BEAT, value, name);
                        }
                    };
                }
            }
            """;

    @Test
    void collectorTypeFromAJarTheAppNeverHeardOfIsLoadedAndRuns(@TempDir Path dir) throws Exception {
        Path jar = buildPluginJar(dir);
        int port = TallyProcess.freePort();
        int adminPort = TallyProcess.freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, port: %d } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                collection: { interval: 1s, deadline: 200ms, maxAge: 500ms }
                collectors:
                  - { type: example-heartbeat, name: beat, value: 42 }
                logging: { level: WARN }
                """.formatted(port, adminPort));

        Process tally = TallyProcess.start(List.of(jar.toString()), dir.resolve("out.txt"), dir.resolve("err.txt"),
                "server", config.toString());
        try {
            String metrics = pollMetrics(port, tally);
            assertThat(metrics).contains("# TYPE example_plugin_heartbeat gauge")
                    .contains("example_plugin_heartbeat{collector=\"beat\"} 42\n")
                    .contains("tally_collector_status{collector=\"beat\",status=\"ok\"} 1\n");
        } finally {
            tally.destroy();
            tally.waitFor();
        }
    }

    private static String pollMetrics(int port, Process tally) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long until = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < until && tally.isAlive()) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (last.contains("example_plugin_heartbeat{")) {
                    return last;
                }
            } catch (IOException notYetListening) {
                // keep polling until the server is up
            }
            Thread.sleep(200);
        }
        return last;
    }

    private static Path buildPluginJar(Path dir) throws IOException {
        Path src = dir.resolve("src/com/example/tallyplugin/HeartbeatCollectorFactory.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int result = javac.run(null, null, null, "--release", "21", "-d", classes.toString(), "-cp",
                String.join(File.pathSeparator, TallyProcess.applicationClassPath()), src.toString());
        assertThat(result).as("plug-in compiles").isZero();

        Path jar = dir.resolve("example-plugin.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("com/example/tallyplugin/HeartbeatCollectorFactory.class"));
            out.write(Files.readAllBytes(classes.resolve("com/example/tallyplugin/HeartbeatCollectorFactory.class")));
            for (Path inner : Files.list(classes.resolve("com/example/tallyplugin")).toList()) {
                if (inner.getFileName().toString().contains("$")) {
                    out.putNextEntry(new JarEntry("com/example/tallyplugin/" + inner.getFileName()));
                    out.write(Files.readAllBytes(inner));
                }
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.tally.collectors.core.CollectorFactory"));
            out.write("com.example.tallyplugin.HeartbeatCollectorFactory\n".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}
