package io.tally.collectors.core;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * Core knows targets and facts in general; each family keeps its own. Read from core's sources (the
 * compiled classes would hide imports the compiler inlined, such as constants): the general
 * packages name no family package, and core's packages form no cycle.
 */
class CorePackagesTest {
    private static final String CORE = "io.tally.collectors.core";
    /** Packages every family may use; they name nothing outside this set. */
    private static final Set<String> GENERAL = Set.of(CORE, CORE + ".catalog", CORE + ".probe", CORE + ".http");
    /** Family data that has to live in core because two families write it (docs/decisions.md). */
    private static final Set<String> FAMILY_IN_CORE = Set.of(CORE + ".workers");

    private static final Path SOURCES = Path.of("src/main/java/io/tally/collectors/core");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** Comments, text blocks, strings and characters: what a mention inside them says is not a dependency. */
    private static final Pattern NOT_CODE = Pattern.compile(
            "\"\"\"[\\s\\S]*?\"\"\"|/\\*[\\s\\S]*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'");
    /** A name of Tally's, imported or written out in full; its package ends before the first capital. */
    private static final Pattern TALLY_NAME = Pattern.compile("(?<![\\w.])io\\.tally(?:\\.[a-z_][\\w]*)*(?=\\.[A-Z*])");

    /** Package -> Tally packages its classes name (its own left out). */
    private static Map<String, Set<String>> uses;

    @BeforeAll
    static void readSources() throws IOException {
        assertThat(SOURCES).as("run from collectors/core").isDirectory();
        uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(CorePackagesTest::read);
        }
        assertThat(uses).containsKeys(CORE, CORE + ".catalog");
    }

    private static void read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher pkg = PACKAGE.matcher(text);
        assertThat(pkg.find()).as("package line of %s", file).isTrue();
        String own = pkg.group(1);
        Set<String> named = uses.computeIfAbsent(own, p -> new TreeSet<>());
        Matcher name = TALLY_NAME.matcher(NOT_CODE.matcher(text.substring(pkg.end())).replaceAll(" "));
        while (name.find()) {
            if (!name.group().equals(own)) {
                named.add(name.group());
            }
        }
    }

    @Test
    void everyPackageOfCoreIsGeneralOrNamedAsFamilyData() {
        assertThat(uses.keySet()).allSatisfy(p -> assertThat(GENERAL.contains(p) || FAMILY_IN_CORE.contains(p))
                .as("%s: add it to GENERAL or, if it holds one family's data, FAMILY_IN_CORE", p).isTrue());
    }

    @Test
    void generalPackagesNameNoFamilyPackage() {
        for (String general : GENERAL) {
            Set<String> outside = new TreeSet<>(uses.getOrDefault(general, Set.of()));
            outside.removeAll(GENERAL);
            assertThat(outside).as("packages outside core's general ones that %s names", general).isEmpty();
        }
    }

    @Test
    void corePackagesFormNoCycle() {
        for (String start : uses.keySet()) {
            List<String> cycle = pathBack(start);
            assertThat(cycle).as("a path from %s back to itself", start).isEmpty();
        }
    }

    /** A path of "names" edges between core's packages from {@code start} back to it; empty when none. */
    private static List<String> pathBack(String start) {
        Map<String, String> cameFrom = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : uses.getOrDefault(at, Set.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String p = at; !p.equals(start); p = cameFrom.get(p)) {
                        path.add(1, p);
                    }
                    path.add(start);
                    return path;
                }
                if (next.startsWith(CORE) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return List.of();
    }
}
