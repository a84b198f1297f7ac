package io.tally.app.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts Tally as a user does, in its own JVM: {@code java -cp ... TallyApplication server config.yml}.
 * The class path is the application's own (test classes left out), plus whatever the test adds.
 */
public final class TallyProcess {
    private TallyProcess() {
    }

    public record Finished(int exitCode, String stdout, String stderr) {
    }

    /** The main and dependency class path, without test classes: what the fat jar holds. */
    public static List<String> applicationClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.toList());
    }

    public static Process start(List<String> extraClassPath, Path stdout, Path stderr, String... args)
            throws IOException {
        return start(applicationClassPath(), extraClassPath, stdout, stderr, args);
    }

    /** With JVM options, e.g. a smaller heap and a cheaper JIT for tests that start several replicas at once. */
    public static Process startWithOptions(List<String> jvmOptions, Path stdout, Path stderr, String... args)
            throws IOException {
        return start(applicationClassPath(), List.of(), jvmOptions, stdout, stderr, args);
    }

    private static Process start(List<String> baseClassPath, List<String> extraClassPath, Path stdout, Path stderr,
                                 String... args) throws IOException {
        return start(baseClassPath, extraClassPath, List.of(), stdout, stderr, args);
    }

    private static Process start(List<String> baseClassPath, List<String> extraClassPath, List<String> jvmOptions,
                                 Path stdout, Path stderr, String... args) throws IOException {
        List<String> classPath = new ArrayList<>(baseClassPath);
        classPath.addAll(extraClassPath);
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), "io.tally.app.TallyApplication"));
        command.addAll(List.of(args));
        // In the test's own directory, as a user starts it in theirs: a relative default such as
        // trends.dataDir lands there, never in the checkout.
        return new ProcessBuilder(command).directory(stdout.toAbsolutePath().getParent().toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    /** Runs with the test class path too, so that test collector types are known. */
    public static Finished runToEnd(Path workDir, String... args) throws IOException, InterruptedException {
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = start(Arrays.asList(full.split(File.pathSeparator)), List.of(), out, err, args);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("tally did not exit within 60 s");
        }
        return new Finished(process.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
