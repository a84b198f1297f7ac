package io.tally.collectors.discovery.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.discovery.DiscoveryException;
import io.tally.collectors.discovery.InvalidEntry;
import io.tally.collectors.discovery.SourceResult;
import io.tally.collectors.discovery.TargetDocuments;
import io.tally.collectors.discovery.TargetSource;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads target files matched by globs; remembers their sizes and times to notice changes. */
final class FileTargetSource implements TargetSource {
    /** A key given twice is a parse error, not the last one silently winning (as config.yml has it). */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final long MAX_BYTES = 16L * 1024 * 1024;

    private final String name;
    private final List<String> globs;
    private final TargetDocuments documents;
    private volatile Map<Path, String> lastSeen = Map.of();

    FileTargetSource(String name, List<String> globs, TargetDocuments documents) {
        this.name = name;
        this.globs = List.copyOf(globs);
        this.documents = documents;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceResult discover(Duration timeout) throws DiscoveryException {
        Map<Path, String> seen = fingerprints();
        List<Target> targets = new ArrayList<>();
        List<InvalidEntry> invalid = new ArrayList<>();
        for (Path file : seen.keySet()) {
            JsonNode document;
            try {
                if (Files.size(file) > MAX_BYTES) {
                    throw new DiscoveryException("too_large", file + " is larger than " + MAX_BYTES + " bytes");
                }
                ObjectMapper mapper = file.toString().endsWith(".json") ? JSON : YAML;
                document = mapper.readTree(file.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new DiscoveryException("parse", file + ": " + location(e));
            } catch (IOException e) {
                throw new DiscoveryException("io", file + ": cannot read (" + e.getClass().getSimpleName() + ")");
            }
            SourceResult result = documents.read(name, document);
            targets.addAll(result.targets());
            invalid.addAll(result.invalid());
        }
        lastSeen = seen;
        return new SourceResult(targets, invalid);
    }

    @Override
    public boolean changed() {
        try {
            return !fingerprints().equals(lastSeen);
        } catch (DiscoveryException e) {
            return true;
        }
    }

    /** Matched files, sorted, each with size and modification time. */
    private Map<Path, String> fingerprints() throws DiscoveryException {
        Map<Path, String> out = new TreeMap<>();
        for (String glob : globs) {
            for (Path file : match(glob)) {
                try {
                    out.put(file, Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis());
                } catch (IOException e) {
                    // Deleted between listing and stat: the next look sees it gone.
                }
            }
        }
        return out;
    }

    static List<Path> match(String glob) throws DiscoveryException {
        Path pattern = Path.of(glob);
        Path base = pattern.isAbsolute() ? pattern.getRoot() : Path.of("");
        int firstGlob = 0;
        for (Path part : pattern) {
            if (part.toString().matches(".*[*?\\[{].*")) {
                break;
            }
            firstGlob++;
        }
        if (firstGlob == pattern.getNameCount()) {
            return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
        }
        if (firstGlob > 0) {
            base = base.resolve(pattern.subpath(0, firstGlob));
        }
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        boolean deep = glob.contains("**");
        int depth = deep ? Integer.MAX_VALUE : pattern.getNameCount() - firstGlob;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> walk = Files.walk(base, depth)) {
            return walk.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
        } catch (IOException e) {
            throw new DiscoveryException("io", "cannot list " + base + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String location(com.fasterxml.jackson.core.JsonProcessingException e) {
        // Parser messages can quote the text around the error, which may be a URL: give the place only.
        String what = "not valid YAML/JSON";
        String original = e.getOriginalMessage();
        if (original != null && original.matches("Duplicate field '[A-Za-z0-9_.-]{1,64}'")) {
            // The key's name is the config's vocabulary, never a value: safe to show, and the fix.
            what = "key '" + original.substring(17, original.length() - 1) + "' given twice";
        }
        if (e.getLocation() == null) {
            return what;
        }
        return what + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
