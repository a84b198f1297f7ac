package io.tally.app.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.app.testing.TallyProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A Tally in its own JVM, started as a user starts it, with a configuration the test writes. */
final class LiveTally implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Process process;
    private final int port;
    private final String authorization;

    private LiveTally(Path dir, Process process, int port, String authorization) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.authorization = authorization;
    }

    /**
     * Starts Tally with {@code config}, in which {@code %PORT%}, {@code %ADMIN_PORT%} and
     * {@code %DATA%} are replaced; {@code authorization} is what the test's own API calls send.
     */
    static LiveTally start(Path dir, String config, String authorization) throws IOException {
        int port = TallyProcess.freePort();
        Path file = dir.resolve("tally.yml");
        Files.writeString(file, config.replace("%PORT%", String.valueOf(port))
                .replace("%ADMIN_PORT%", String.valueOf(TallyProcess.freePort()))
                .replace("%DATA%", dir.resolve("trends").toString()));
        Process process = TallyProcess.start(List.of(), dir.resolve("out.txt"), dir.resolve("err.txt"), "server",
                file.toString());
        return new LiveTally(dir, process, port, authorization);
    }

    /** Waits until the application port answers. */
    LiveTally awaitUp(Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until && process.isAlive()) {
            try {
                send("/stats?limit=1");
                return this;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("tally did not answer within " + timeout + " (" + (process.isAlive()
                ? "running" : "exited " + process.exitValue()) + "); log:\n" + log());
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    int port() {
        return port;
    }

    /** A JSON answer of the API, with the test's credentials. */
    JsonNode json(String path) throws Exception {
        HttpResponse<String> response = send(path);
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    HttpResponse<String> send(String path) throws IOException, InterruptedException {
        return send(path, authorization);
    }

    static HttpResponse<String> send(String url, String authorization, String path)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String path, String authorization) throws IOException, InterruptedException {
        return send("http://127.0.0.1:" + port, authorization, path);
    }

    String log() {
        try {
            return Files.readString(dir.resolve("out.txt")) + Files.readString(dir.resolve("err.txt"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
