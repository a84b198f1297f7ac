package io.tally.app.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code promtool check metrics}; the README's test command installs it. */
public final class Promtool {
    private Promtool() {
    }

    public record Result(int exitCode, String output) {
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
