package io.tally.collectors.discovery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a target document (a target file, an http_sd response): a list whose items are either
 * Tally entries ({@code name, type, url, enabled, labels, probe}) or Prometheus {@code file_sd} /
 * {@code http_sd} groups ({@code targets: [host:port, ...], labels: {...}}).
 *
 * <p>For a group, a target's name is the value of {@code nameLabel} when present, else its
 * {@code host:port}; its type is {@code typeLabel} or the default. A target without a scheme is
 * probed as {@code http://host:port/}, or with the group's {@code __scheme__} and
 * {@code __metrics_path__} when given, as Prometheus does. Labels starting with {@code __} are
 * Prometheus' internal ones and are not kept.
 */
public final class TargetDocuments {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String nameLabel;
    private final String typeLabel;
    private final String defaultType;
    private final boolean trustProbeSettings;

    public TargetDocuments(String nameLabel, String typeLabel, String defaultType, boolean trustProbeSettings) {
        this.nameLabel = nameLabel;
        this.typeLabel = typeLabel;
        this.defaultType = defaultType;
        this.trustProbeSettings = trustProbeSettings;
    }

    /** Entries of a parsed document; a document that is not a list fails as a whole. */
    public SourceResult read(String source, JsonNode document) throws DiscoveryException {
        if (document == null || document.isNull() || document.isMissingNode()) {
            return new SourceResult(List.of(), List.of());
        }
        if (!document.isArray()) {
            throw new DiscoveryException("parse", "expected a list of targets or target groups, found "
                    + document.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<TargetEntry> entries = new ArrayList<>();
        List<InvalidEntry> malformed = new ArrayList<>();
        int index = 0;
        for (JsonNode item : document) {
            index++;
            if (!item.isObject()) {
                malformed.add(new InvalidEntry(source, "#" + index, "malformed", "item is not a map"));
            } else if (item.has("targets")) {
                group(source, index, (ObjectNode) item, entries, malformed);
            } else {
                try {
                    entries.add(STRICT.treeToValue(item, TargetEntry.class));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    malformed.add(new InvalidEntry(source, "#" + index, "malformed", describe(e)));
                }
            }
        }
        SourceResult validated = EntryValidator.validate(source, entries, trustProbeSettings);
        List<InvalidEntry> invalid = new ArrayList<>(malformed);
        invalid.addAll(validated.invalid());
        return new SourceResult(validated.targets(), invalid);
    }

    private void group(String source, int index, ObjectNode group, List<TargetEntry> entries,
                       List<InvalidEntry> malformed) {
        JsonNode targets = group.get("targets");
        JsonNode labelsNode = group.get("labels");
        if (!targets.isArray() || (labelsNode != null && !labelsNode.isObject())) {
            malformed.add(new InvalidEntry(source, "#" + index, "malformed",
                    "a target group needs 'targets' as a list and 'labels' as a map"));
            return;
        }
        Map<String, String> all = new LinkedHashMap<>();
        if (labelsNode != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = labelsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                all.put(e.getKey(), e.getValue().asText());
            }
        }
        String scheme = all.getOrDefault("__scheme__", "http");
        String path = all.getOrDefault("__metrics_path__", "/");
        Map<String, String> kept = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (!k.startsWith("__") && !k.equals(nameLabel) && !k.equals(typeLabel)) {
                kept.put(k, v);
            }
        });
        for (JsonNode t : targets) {
            String address = t.asText().strip();
            String url = address.contains("://") ? address
                    : scheme + "://" + address + (path.startsWith("/") ? path : "/" + path);
            String name = all.containsKey(nameLabel) ? all.get(nameLabel) : hostPort(address);
            entries.add(new TargetEntry(name, all.getOrDefault(typeLabel, defaultType), url, null, kept, null));
        }
    }

    private static String hostPort(String address) {
        int scheme = address.indexOf("://");
        String rest = scheme >= 0 ? address.substring(scheme + 3) : address;
        int at = rest.lastIndexOf('@');
        rest = at >= 0 ? rest.substring(at + 1) : rest;
        int slash = rest.indexOf('/');
        return slash >= 0 ? rest.substring(0, slash) : rest;
    }

    /** Names the key, never the value: a value in the wrong place may be a secret URL. */
    static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            return "unknown key '" + u.getPropertyName() + "'";
        }
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                }
            }
            return "wrong type of value at '" + path + "'";
        }
        return "malformed entry";
    }
}
