package io.tally.app.trends;

import io.tally.app.testing.TallyProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a flush asks of the kernel, seen with strace on a real JVM: the temporary file is forced
 * before the rename, and the directory is opened and forced after it, so that the rename itself
 * survives a power cut (a kill cannot show this: the page cache survives a killed process).
 */
class TrendFlushDurabilityTest {
    private static final Pattern OPEN = Pattern.compile("openat\\(AT_FDCWD, \"([^\"]+)\", ([^)]*)\\)\\s+=\\s+(\\d+)");
    private static final Pattern FSYNC = Pattern.compile("f(?:data)?sync\\((\\d+)\\)\\s+=\\s+0");
    private static final Pattern RENAME = Pattern.compile("rename(?:at2?)?\\(.*\"([^\"]+\\.tmp)\".*\"([^\"]+)\".*\\)\\s+=\\s+0");

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theFileIsForcedBeforeTheRenameAndTheDirectoryAfterIt(@TempDir Path dir) throws Exception {
        assumeTrue(straceWorks(dir), "strace cannot trace processes on this machine");
        Path file = dir.resolve("data").resolve("trends.bin");
        Path trace = dir.resolve("trace.txt");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder("strace", "-f", "-e", "trace=openat,rename,renameat,renameat2,fsync,fdatasync",
                "-o", trace.toString(), TallyProcess.javaBinary(), "-cp", classPath, FlushOnce.class.getName(),
                file.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        assertThat(file).exists();

        String tmp = file + ".tmp";
        String directory = file.getParent().toString();
        List<String> events = new ArrayList<>();
        java.util.Map<String, String> fdToPath = new java.util.HashMap<>();
        for (String line : Files.readAllLines(trace)) {
            Matcher open = OPEN.matcher(line);
            if (open.find()) {
                fdToPath.put(open.group(3), open.group(1));
                continue;
            }
            Matcher fsync = FSYNC.matcher(line);
            if (fsync.find()) {
                String path = fdToPath.get(fsync.group(1));
                if (tmp.equals(path) || directory.equals(path)) {
                    events.add("fsync " + path);
                }
                continue;
            }
            Matcher rename = RENAME.matcher(line);
            if (rename.find() && rename.group(1).equals(tmp)) {
                events.add("rename " + rename.group(2));
            }
        }
        List<String> relevant = Files.readAllLines(trace).stream()
                .filter(l -> l.contains(directory) || l.contains("sync(")).limit(50).toList();
        assertThat(events).as("durable steps of the flush, in order; traced: %s", String.join("\n", relevant))
                .containsExactly("fsync " + tmp, "rename " + file, "fsync " + directory);
    }

    private static boolean straceWorks(Path dir) {
        try {
            Process p = new ProcessBuilder("strace", "-o", dir.resolve("probe.txt").toString(), "true")
                    .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
