package io.tally.app.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real Alertmanager (Debian's prometheus-alertmanager) on a loopback port, clustering off. */
public final class AlertmanagerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    public AlertmanagerProcess(Path dir, String config) throws Exception {
        this(dir, config, TallyProcess.freePort());
    }

    /** On a given port: to restart one where a killed one was. */
    public AlertmanagerProcess(Path dir, String config, int port) throws Exception {
        Path binary = Path.of("/usr/bin/prometheus-alertmanager");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("prometheus-alertmanager is not installed: run the README's test "
                    + "command, which installs Debian's 'prometheus-alertmanager' package");
        }
        Path file = dir.resolve("alertmanager.yml");
        Files.writeString(file, config);
        this.port = port;
        process = new ProcessBuilder(binary.toString(), "--config.file=" + file, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("alertmanager exited: " + Files.readString(dir.resolve("alertmanager.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url("/-/ready"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("alertmanager not ready within 30 s");
    }

    public int port() {
        return port;
    }

    /** SIGKILL, as a crash or the OOM killer would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public void postAlerts(String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url("/api/v2/alerts")))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("alertmanager refused alerts: " + response.statusCode() + " " + response.body());
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
