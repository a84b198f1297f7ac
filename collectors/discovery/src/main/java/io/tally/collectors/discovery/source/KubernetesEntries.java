package io.tally.collectors.discovery.source;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.discovery.EntryValidator;
import io.tally.collectors.discovery.InvalidEntry;
import io.tally.collectors.discovery.SourceResult;
import io.tally.collectors.discovery.TargetEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns selected Secrets and ConfigMaps into targets: one object, one target. The object's data
 * keys are the fields of a file entry written flat ({@code url}, {@code name}, {@code type},
 * {@code enabled}, {@code labels.<key>}, {@code probe.timeout}, {@code probe.expectedStatus},
 * {@code probe.method}, {@code probe.bodyMatch}, {@code probe.tlsVerify},
 * {@code probe.headers.<Header>}), validated by {@link EntryValidator} as file entries are.
 *
 * <p>An object is {@code skipped} when it is being deleted, or is a Secret of a type other than
 * {@code Opaque} (a TLS key pair or a service-account token carrying the label by mistake is no
 * target definition); {@code invalid} when its entry is refused; {@code valid} otherwise.
 */
public final class KubernetesEntries {
    public static final String SECRET = "secret";
    public static final String CONFIG_MAP = "configmap";
    public static final List<String> STATUSES = List.of("valid", "invalid", "skipped");

    private static final Set<String> SCALAR_KEYS = Set.of("name", "type", "url", "enabled", "probe.method",
            "probe.expectedStatus", "probe.timeout", "probe.bodyMatch", "probe.tlsVerify");
    private static final Comparator<HasMetadata> ORDER = Comparator
            .comparing((HasMetadata o) -> kind(o))
            .thenComparing(o -> String.valueOf(o.getMetadata().getNamespace()))
            .thenComparing(o -> String.valueOf(o.getMetadata().getName()));

    private final String defaultType;
    private final boolean trustProbeSettings;
    private final List<String> kinds;

    /**
     * @param kinds the kinds the source reads ({@link #SECRET}, {@link #CONFIG_MAP}): each gets
     *              its three statuses counted, zero included
     */
    public KubernetesEntries(String defaultType, boolean trustProbeSettings, List<String> kinds) {
        this.defaultType = defaultType;
        this.trustProbeSettings = trustProbeSettings;
        this.kinds = List.copyOf(kinds);
    }

    /** Targets from the objects; the first object (by kind, namespace, name) keeps a name used twice. */
    public SourceResult read(String source, List<? extends HasMetadata> objects) {
        List<HasMetadata> sorted = new ArrayList<>(objects);
        sorted.sort(ORDER);
        Map<List<String>, Integer> counts = new LinkedHashMap<>();
        for (String kind : kinds) {
            for (String status : STATUSES) {
                counts.put(List.of(kind, status), 0);
            }
        }
        List<Target> targets = new ArrayList<>();
        List<InvalidEntry> invalid = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (HasMetadata object : sorted) {
            String kind = kind(object);
            String status = one(source, object, names, targets, invalid);
            counts.merge(List.of(kind, status), 1, Integer::sum);
        }
        return new SourceResult(targets, invalid, counts);
    }

    private String one(String source, HasMetadata object, Set<String> names, List<Target> targets,
                       List<InvalidEntry> invalid) {
        if (skipped(object)) {
            return "skipped";
        }
        String ref = describe(object);
        Map<String, String> data = data(object);
        String entryName = value(data.get("name"));
        if (entryName == null) {
            entryName = object.getMetadata().getName();
        }
        TargetEntry entry;
        try {
            entry = entry(entryName, data);
        } catch (Malformed e) {
            invalid.add(new InvalidEntry(source, entryName, "malformed", ref + ": " + e.getMessage()));
            return "invalid";
        }
        SourceResult validated = EntryValidator.validate(source, List.of(entry), trustProbeSettings);
        if (!validated.invalid().isEmpty()) {
            InvalidEntry refused = validated.invalid().get(0);
            invalid.add(new InvalidEntry(source, refused.entry(), refused.kind(), ref + ": " + refused.reason()));
            return "invalid";
        }
        Target target = validated.targets().get(0);
        if (!names.add(target.name())) {
            invalid.add(new InvalidEntry(source, target.name(), "duplicate", ref + ": target name '" + target.name()
                    + "' already comes from another object of source '" + source + "'"));
            return "invalid";
        }
        targets.add(target);
        return "valid";
    }

    private TargetEntry entry(String name, Map<String, String> data) throws Malformed {
        if (!data.containsKey("url")) {
            throw new Malformed("no 'url' key");
        }
        Map<String, String> labels = new TreeMap<>();
        Map<String, String> headers = new TreeMap<>();
        for (Map.Entry<String, String> e : data.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("labels.") && key.length() > 7) {
                labels.put(key.substring(7), line(e.getValue()));
            } else if (key.startsWith("probe.headers.") && key.length() > 14) {
                headers.put(key.substring(14), line(e.getValue()));
            } else if (!SCALAR_KEYS.contains(key)) {
                throw new Malformed("unknown key '" + key + "'");
            }
        }
        boolean probeGiven = headers.size() > 0 || data.keySet().stream().anyMatch(k -> k.startsWith("probe."));
        TargetEntry.Probe probe = probeGiven ? new TargetEntry.Probe(value(data.get("probe.method")),
                statuses(value(data.get("probe.expectedStatus"))), value(data.get("probe.timeout")),
                data.containsKey("probe.bodyMatch") ? line(data.get("probe.bodyMatch")) : null,
                bool("probe.tlsVerify", value(data.get("probe.tlsVerify"))), headers.isEmpty() ? null : headers) : null;
        String type = value(data.get("type"));
        return new TargetEntry(name, type == null ? defaultType : type, value(data.get("url")),
                bool("enabled", value(data.get("enabled"))), labels, probe);
    }

    private static List<Integer> statuses(String text) throws Malformed {
        if (text == null) {
            return null;
        }
        List<Integer> codes = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                codes.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new Malformed("probe.expectedStatus must be status codes separated by commas, like 200,202");
            }
        }
        return codes;
    }

    private static Boolean bool(String key, String text) throws Malformed {
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new Malformed(key + " must be true or false");
        };
    }

    /** A scalar as written, without the line break `kubectl create secret --from-file` keeps. */
    private static String value(String raw) {
        return raw == null ? null : raw.strip();
    }

    /** Label and header values and body patterns: only the trailing line break goes. */
    private static String line(String raw) {
        return raw.endsWith("\r\n") ? raw.substring(0, raw.length() - 2)
                : raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
    }

    static boolean skipped(HasMetadata object) {
        if (object.getMetadata().getDeletionTimestamp() != null) {
            return true;
        }
        return object instanceof Secret secret && secret.getType() != null && !secret.getType().equals("Opaque");
    }

    /** The object's keys and values, decoded; a Secret's stringData wins over its data, as the API server does. */
    static Map<String, String> data(HasMetadata object) {
        Map<String, String> out = new TreeMap<>();
        if (object instanceof Secret secret) {
            decodeInto(secret.getData(), out);
            if (secret.getStringData() != null) {
                out.putAll(secret.getStringData());
            }
        } else if (object instanceof ConfigMap map) {
            decodeInto(map.getBinaryData(), out);
            if (map.getData() != null) {
                out.putAll(map.getData());
            }
        }
        return out;
    }

    private static void decodeInto(Map<String, String> encoded, Map<String, String> out) {
        if (encoded == null) {
            return;
        }
        Base64.Decoder decoder = Base64.getMimeDecoder();
        encoded.forEach((k, v) -> out.put(k, v == null ? "" : new String(decoder.decode(v), StandardCharsets.UTF_8)));
    }

    static String kind(HasMetadata object) {
        return object instanceof ConfigMap ? CONFIG_MAP : SECRET;
    }

    /** "Secret payments/slack-hook": names are no secret, the data is. */
    static String describe(HasMetadata object) {
        return (object instanceof ConfigMap ? "ConfigMap " : "Secret ") + object.getMetadata().getNamespace() + "/"
                + object.getMetadata().getName();
    }

    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
