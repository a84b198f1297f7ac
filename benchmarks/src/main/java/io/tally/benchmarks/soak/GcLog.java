package io.tally.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pauses of a unified GC log ({@code -Xlog:gc:file=...:time,uptime}) with the heap after each:
 * the floor the heap returns to, which is what "heap flat" is about (the used heap between
 * collections only shows how much garbage has piled up since the last one).
 */
final class GcLog {
    record Pause(long epochMillis, String kind, long beforeBytes, long afterBytes, double millis) {
    }

    private static final Pattern LINE = Pattern.compile(
            "^\\[([^\\]]+)\\]\\[[^\\]]+\\] GC\\(\\d+\\) (Pause .*?) (\\d+)([KMG])->(\\d+)([KMG])\\(\\d+[KMG]\\) ([0-9.]+)ms");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private GcLog() {
    }

    static List<Pause> read(Path file) throws IOException {
        List<Pause> pauses = new ArrayList<>();
        if (!Files.exists(file)) {
            return pauses;
        }
        for (String line : Files.readAllLines(file)) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                long at = OffsetDateTime.parse(m.group(1), TIME).toInstant().toEpochMilli();
                pauses.add(new Pause(at, m.group(2).strip(), bytes(m.group(3), m.group(4)), bytes(m.group(5), m.group(6)),
                        Double.parseDouble(m.group(7))));
            }
        }
        return pauses;
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            default -> n << 30;
        };
    }
}
