package io.tally.collectors.core;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts live virtual threads, which {@code ThreadMXBean} does not see, from the JDK's own thread
 * dump (JSON), so that a test can tell whether a stuck collector leaks them.
 */
final class ThreadCensus {
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

    private ThreadCensus() {
    }

    static long virtualThreadsNamed(String prefix) throws IOException {
        Path dir = Files.createTempDirectory("thread-census");
        Path file = dir.resolve("threads.json");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            Matcher names = NAME.matcher(Files.readString(file));
            long count = 0;
            while (names.find()) {
                if (names.group(1).startsWith(prefix)) {
                    count++;
                }
            }
            return count;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
