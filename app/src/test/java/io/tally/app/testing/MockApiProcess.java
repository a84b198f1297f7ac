package io.tally.app.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's Kubernetes mock API server (CRUD mode: lists, watches, a real HTTP server on loopback)
 * in a JVM of its own, run from the discovery module's test class path: the mock needs Netty 4.2,
 * this module's class path holds Lettuce's 4.1. See {@code MockApiServerMain} for the commands.
 */
public final class MockApiProcess implements AutoCloseable {
    private static final Path DISCOVERY = Path.of("..", "collectors", "discovery", "target");

    private final Process process;
    private final Writer commands;
    private final BufferedReader answers;
    private final Path kubeconfig;

    public MockApiProcess(Path dir, String namespace) throws IOException {
        Path classPathFile = DISCOVERY.resolve("mock-api-server.classpath");
        if (!Files.isRegularFile(classPathFile)) {
            throw new IllegalStateException(classPathFile + " is missing: build with -am so the discovery module runs");
        }
        List<String> classPath = new ArrayList<>();
        classPath.add(DISCOVERY.resolve("test-classes").toAbsolutePath().toString());
        classPath.add(DISCOVERY.resolve("classes").toAbsolutePath().toString());
        classPath.add(Files.readString(classPathFile).strip());
        kubeconfig = dir.resolve("kubeconfig");
        process = new ProcessBuilder(TallyProcess.javaBinary(), "-cp", String.join(File.pathSeparator, classPath),
                "io.tally.collectors.discovery.MockApiServerMain", kubeconfig.toString(), namespace)
                .redirectError(dir.resolve("mock-api-err.txt").toFile()).start();
        commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = answers.readLine();
        if (!"ready".equals(ready)) {
            close();
            throw new IllegalStateException("mock API server did not start: " + ready + " "
                    + Files.readString(dir.resolve("mock-api-err.txt")));
        }
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** Sends one command and waits for its {@code ok}. */
    public synchronized void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        String answer = answers.readLine();
        if (!"ok".equals(answer)) {
            throw new IllegalStateException("mock API server answered " + answer + " to " + command.split(" ")[0]);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            commands.close();
        } catch (IOException alreadyGone) {
            // the process ended first
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
