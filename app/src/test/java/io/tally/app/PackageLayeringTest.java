package io.tally.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's packages import one way (docs/decisions.md, "The app's packages import one way"): read
 * from the import lines of the main sources, no two packages import each other, directly or round a
 * longer loop. A failure names the loop and the classes whose imports make it.
 */
class PackageLayeringTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "io", "tally", "app");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?io\\.tally\\.app\\.([\\w.]+);",
            Pattern.MULTILINE);
    /** What the root package is called in messages. */
    private static final String ROOT = "(io.tally.app)";

    @Test
    void noTwoAppPackagesImportEachOther() throws IOException {
        Map<String, Map<String, Set<String>>> imports = imports();
        assertThat(imports).as("app packages read from %s", SOURCES.toAbsolutePath()).containsKeys("stats", "resources");

        List<String> mutual = new ArrayList<>();
        imports.forEach((from, targets) -> targets.forEach((to, classes) -> {
            Set<String> back = imports.getOrDefault(to, Map.of()).get(from);
            if (back != null && from.compareTo(to) < 0) {
                mutual.add(from + " -> " + to + " (" + classes + ") and " + to + " -> " + from + " (" + back + ")");
            }
        }));
        assertThat(mutual).as("packages that import each other").isEmpty();
    }

    @Test
    void noLoopRoundSeveralAppPackages() throws IOException {
        Map<String, Map<String, Set<String>>> imports = imports();
        List<String> loop = findLoop(imports);
        assertThat(loop).as("a loop of package imports: %s", describe(loop, imports)).isEmpty();
    }

    /** Package → imported app package → the classes of the first that import it. */
    private static Map<String, Map<String, Set<String>>> imports() throws IOException {
        Map<String, Map<String, Set<String>>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path dir = SOURCES.relativize(file).getParent();
                String from = dir == null ? ROOT : dir.toString().replace(file.getFileSystem().getSeparator(), ".");
                Map<String, Set<String>> targets = out.computeIfAbsent(from, k -> new TreeMap<>());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String to = packageOf(m.group(1));
                    if (!to.equals(from)) {
                        targets.computeIfAbsent(to, k -> new TreeSet<>())
                                .add(file.getFileName().toString().replace(".java", ""));
                    }
                }
            }
        }
        return out;
    }

    /** The package part of an import below io.tally.app: its lower-case segments before the first class name. */
    static String packageOf(String imported) {
        List<String> segments = new ArrayList<>();
        for (String segment : imported.split("\\.")) {
            if (segment.isEmpty() || !Character.isLowerCase(segment.charAt(0))) {
                break;
            }
            segments.add(segment);
        }
        return segments.isEmpty() ? ROOT : String.join(".", segments);
    }

    /** A loop of packages (first == last) if there is one, by depth-first search; empty otherwise. */
    private static List<String> findLoop(Map<String, Map<String, Set<String>>> imports) {
        Set<String> done = new TreeSet<>();
        for (String start : imports.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> loop = visit(start, imports, path, done);
            if (!loop.isEmpty()) {
                return loop;
            }
        }
        return List.of();
    }

    private static List<String> visit(String pkg, Map<String, Map<String, Set<String>>> imports, List<String> path,
                                      Set<String> done) {
        int at = path.indexOf(pkg);
        if (at >= 0) {
            List<String> loop = new ArrayList<>(path.subList(at, path.size()));
            loop.add(pkg);
            return loop;
        }
        if (done.contains(pkg)) {
            return List.of();
        }
        path.add(pkg);
        for (String next : imports.getOrDefault(pkg, Map.of()).keySet()) {
            List<String> loop = visit(next, imports, path, done);
            if (!loop.isEmpty()) {
                return loop;
            }
        }
        path.removeLast();
        done.add(pkg);
        return List.of();
    }

    private static String describe(List<String> loop, Map<String, Map<String, Set<String>>> imports) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i + 1 < loop.size(); i++) {
            out.append(loop.get(i)).append(" -> ").append(loop.get(i + 1)).append(" (")
                    .append(imports.get(loop.get(i)).get(loop.get(i + 1))).append(") ");
        }
        return out.toString();
    }
}
