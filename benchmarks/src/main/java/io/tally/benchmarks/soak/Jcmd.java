package io.tally.benchmarks.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code jcmd} against the Tally process: full GCs, the JFR recording, and one thread dump
 * at the very end (dumping threads while virtual threads mount and unmount can crash the JVM on
 * JDK 25.0.3, JDK-8364343, so it is the soak's last act).
 */
final class Jcmd {
    /** Threads in one dump; {@code groups} counts threads by name and top frame, largest first. */
    record Threads(int platform, int virtual, Map<String, Integer> groups) {
    }

    private final Path jcmd;
    private final long pid;
    private final Path scratch;
    private final ObjectMapper json = new ObjectMapper();

    Jcmd(long pid, Path scratch) {
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        this.pid = pid;
        this.scratch = scratch;
    }

    /** Counts the threads of a JSON thread dump, which lists virtual threads too (JDK 21+). */
    Threads threads() throws IOException, InterruptedException {
        Path file = scratch.resolve("threads-" + System.nanoTime() + ".json");
        try {
            run("Thread.dump_to_file", "-format=json", file.toString());
            JsonNode containers = json.readTree(file.toFile()).path("threadDump").path("threadContainers");
            int platform = 0;
            int virtual = 0;
            Map<String, Integer> groups = new TreeMap<>();
            for (JsonNode container : containers) {
                for (JsonNode thread : container.path("threads")) {
                    if (thread.path("virtual").asBoolean(false)) {
                        virtual++;
                        JsonNode stack = thread.path("stack");
                        String top = firstTallyFrame(stack);
                        groups.merge(thread.path("name").asText("") + " @ " + top, 1, Integer::sum);
                    } else {
                        platform++;
                    }
                }
            }
            return new Threads(platform, virtual, groups);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The first frame in Tally's or the JDK HTTP client's code: where a parked virtual thread waits. */
    private static String firstTallyFrame(JsonNode stack) {
        String first = stack.size() > 0 ? stack.get(0).asText() : "(no stack)";
        for (JsonNode frame : stack) {
            String text = frame.asText();
            if (text.startsWith("io.tally.") || text.contains("jdk.internal.net.http.")
                    || text.contains("java.net.http.")) {
                return text;
            }
        }
        return first;
    }

    /** Writes what the JFR recording of this name holds so far to a file. */
    void dumpRecording(String name, Path file) throws IOException, InterruptedException {
        run("JFR.dump", "name=" + name, "filename=" + file);
    }

    /** A full collection (System.gc()), so that what the heap holds afterwards is live data. */
    void fullGc() throws IOException, InterruptedException {
        run("GC.run");
    }

    private String run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        line.add(jcmd.toString());
        line.add(Long.toString(pid));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", command) + " failed: "
                    + new String(out, StandardCharsets.UTF_8).strip());
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
