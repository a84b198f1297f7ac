package io.tally.app;

import io.tally.app.testing.Promtool;
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

    /** A plug-in that declares a family Tally's health collector already owns, with another shape. */
    private static final String CLASHING = """
            package com.example.tallyplugin;

            import com.fasterxml.jackson.annotation.JsonProperty;
            import com.fasterxml.jackson.annotation.JsonTypeName;
            import io.tally.collectors.core.*;

            @JsonTypeName("example-clashing")
            public class ClashingCollectorFactory implements CollectorFactory {
                static final MetricDescriptor TARGETS = MetricDescriptor.counter("tally_health_targets",
                        "Not the health collector's gauge.", "", "collector");
                static final MetricDescriptor OWN = MetricDescriptor.gauge("example_plugin_own",
                        "A family only this plug-in writes.", "", "collector");

                @JsonProperty private String name = "clashing";

                @Override public String getName() { return name; }

                @Override public Collector build(CollectorEnvironment environment) {
                    return new Collector() {
                        public String name() { return name; }
                        public boolean isAvailable() { return true; }
                        public void collect(CollectionContext context, CollectionOutput out) {
                            out.counter(TARGETS, 1, name);
                            out.gauge(OWN, 7, name);
                        }
                    };
                }
            }
            """;

    @Test
    void aPluginThatDeclaresAFamilyWithAnotherShapeLosesOnlyThatFamily(@TempDir Path dir) throws Exception {
        Path jar = buildPluginJar(dir, "ClashingCollectorFactory", CLASHING);
        int port = TallyProcess.freePort();
        int adminPort = TallyProcess.freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                collection: { interval: 1s, deadline: 200ms, maxAge: 500ms }
                discovery:
                  sources:
                    - type: static
                      targets: [ { name: admin, type: generic, url: "http://127.0.0.1:%d/ping" } ]
                health: { interval: 1s, timeout: 500ms }
                collectors:
                  - { type: example-clashing, name: clash }
                logging: { level: WARN }
                """.formatted(port, adminPort, adminPort));

        long started = System.nanoTime();
        Process tally = TallyProcess.start(List.of(jar.toString()), dir.resolve("out.txt"), dir.resolve("err.txt"),
                "server", config.toString());
        try {
            String metrics = poll(port, tally, "/metrics", "tally_target_up{target=\"admin\",type=\"generic\"} 1");
            double seen = (System.nanoTime() - started) / 1e9;
            // Everyone else's series are served, the health collector's gauge among them ...
            assertThat(metrics).contains("# TYPE tally_health_targets gauge")
                    .contains("tally_health_targets{status=\"healthy\"}")
                    .contains("tally_target_up{target=\"admin\",type=\"generic\"} 1")
                    .contains("tally_collector_status{collector=\"health\",status=\"ok\"} 1\n")
                    .contains("tally_collector_status{collector=\"discovery\",status=\"ok\"} 1\n")
                    // ... the plug-in's other family too, and its clash is visible.
                    .contains("example_plugin_own{collector=\"clash\"} 7")
                    .contains("tally_collector_status{collector=\"clash\",status=\"error\"} 1\n")
                    .doesNotContain("tally_health_targets_total");
            Promtool.Result promtool = Promtool.checkMetrics(metrics);
            assertThat(promtool.exitCode()).as(promtool.output()).isZero();
            String stats = poll(port, tally, "/stats", "\"clash\"");
            assertThat(stats).containsPattern("\"name\":\"clash\",\"status\":\"error\"[^}]*tally_health_targets");
            // Logged when the clash starts, not on every collection it lasts.
            assertThat(Files.readString(dir.resolve("out.txt")) + Files.readString(dir.resolve("err.txt")))
                    .containsOnlyOnce("family tally_health_targets left out");
            System.out.printf("FAULT| plug-in jar declares a family another collector owns (tally_health_targets as a"
                    + " counter) | plug-in collector error, reason names the family and both shapes, its other series"
                    + " served; every other collector ok with all its series; promtool passes; one WARN | detected in"
                    + " the first snapshot (%.2f s from process start, start-up included) | recovered in n/a (the"
                    + " clash stays; it ends with the next collection once the plug-in stops declaring it)%n", seen);
        } finally {
            tally.destroy();
            tally.waitFor();
        }
    }

    @Test
    void collectorTypeFromAJarTheAppNeverHeardOfIsLoadedAndRuns(@TempDir Path dir) throws Exception {
        Path jar = buildPluginJar(dir, "HeartbeatCollectorFactory", SOURCE);
        int port = TallyProcess.freePort();
        int adminPort = TallyProcess.freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                collection: { interval: 1s, deadline: 200ms, maxAge: 500ms }
                collectors:
                  - { type: example-heartbeat, name: beat, value: 42 }
                logging: { level: WARN }
                """.formatted(port, adminPort));

        Process tally = TallyProcess.start(List.of(jar.toString()), dir.resolve("out.txt"), dir.resolve("err.txt"),
                "server", config.toString());
        try {
            String metrics = poll(port, tally, "/metrics", "example_plugin_heartbeat{");
            assertThat(metrics).contains("# TYPE example_plugin_heartbeat gauge")
                    .contains("example_plugin_heartbeat{collector=\"beat\"} 42\n")
                    .contains("tally_collector_status{collector=\"beat\",status=\"ok\"} 1\n");
        } finally {
            tally.destroy();
            tally.waitFor();
        }
    }

    private static String poll(int port, Process tally, String path, String wanted) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long until = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < until && tally.isAlive()) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (last.contains(wanted)) {
                    return last;
                }
            } catch (IOException notYetListening) {
                // keep polling until the server is up
            }
            Thread.sleep(200);
        }
        return last;
    }

    private static Path buildPluginJar(Path dir, String className, String source) throws IOException {
        Path src = dir.resolve("src/com/example/tallyplugin/" + className + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int result = javac.run(null, null, null, "--release", "21", "-d", classes.toString(), "-cp",
                String.join(File.pathSeparator, TallyProcess.applicationClassPath()), src.toString());
        assertThat(result).as("plug-in compiles").isZero();

        Path jar = dir.resolve("example-plugin.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("com/example/tallyplugin/" + className + ".class"));
            out.write(Files.readAllBytes(classes.resolve("com/example/tallyplugin/" + className + ".class")));
            for (Path inner : Files.list(classes.resolve("com/example/tallyplugin")).toList()) {
                if (inner.getFileName().toString().contains("$")) {
                    out.putNextEntry(new JarEntry("com/example/tallyplugin/" + inner.getFileName()));
                    out.write(Files.readAllBytes(inner));
                }
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.tally.collectors.core.CollectorFactory"));
            out.write(("com.example.tallyplugin." + className + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}
