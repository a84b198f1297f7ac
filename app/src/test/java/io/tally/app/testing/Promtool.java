package io.tally.app.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code promtool}; the README's test command installs it. */
public final class Promtool {
    private Promtool() {
    }

    public record Result(int exitCode, String output) {
    }

    /** {@code promtool <args>}, e.g. {@code check rules tally-rules.yml}, within 60 s. */
    public static Result run(String... args) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("promtool"));
        command.addAll(java.util.List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("promtool is not installed: run the README's test command, which "
                    + "installs Debian's 'prometheus' package", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool did not finish in 60 s");
        }
        return new Result(process.exitValue(), output);
    }

    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        Path input = Files.createTempFile("tally-metrics", ".txt");
        try {
            Files.writeString(input, exposition, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder("promtool", "check", "metrics")
                    .redirectInput(input.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool did not finish in 30 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("promtool is not installed: run the README's test command, which "
                    + "installs Debian's 'prometheus' package", e);
        } finally {
            Files.deleteIfExists(input);
        }
    }
}
