package io.tally.collectors.discovery;

import io.dropwizard.util.Duration;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.core.probe.BodyMatch;
import io.tally.collectors.core.probe.ProbeLimits;
import io.tally.collectors.core.probe.ProbeOverrides;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns entries into targets, or into invalid entries with a reason. Never throws for bad input. */
public final class EntryValidator {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "OPTIONS");
    private static final Set<String> SCHEMES = Set.of("http", "https", "tcp");

    private EntryValidator() {
    }

    /** Entries from config.yml (or a source that carries none of its own probe settings): trusted. */
    public static SourceResult validate(String source, List<TargetEntry> entries) {
        return validate(source, entries, true);
    }

    /**
     * @param trustProbeSettings false for discovered documents (files, http_sd) whose source did not
     *                           say {@code trustProbeSettings: true}: their entries may not set the
     *                           method, headers, a body match or {@code tlsVerify: false}
     */
    public static SourceResult validate(String source, List<TargetEntry> entries, boolean trustProbeSettings) {
        List<Target> targets = new ArrayList<>();
        List<InvalidEntry> invalid = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            TargetEntry entry = entries.get(i);
            String label = entry.name() == null || entry.name().isBlank() ? "#" + (i + 1) : entry.name();
            try {
                Target target = toTarget(source, entry);
                if (!trustProbeSettings && target.probe().shapesTheRequest()) {
                    throw new Invalid("untrusted_probe", "probe settings other than timeout and expectedStatus ("
                            + shaping(target.probe()) + ") come only from config.yml, or from a source with"
                            + " trustProbeSettings: true");
                }
                if (!names.add(target.name())) {
                    invalid.add(new InvalidEntry(source, label, "duplicate",
                            "target name '" + target.name() + "' appears twice in source '" + source + "'"));
                } else {
                    targets.add(target);
                }
            } catch (Invalid e) {
                invalid.add(new InvalidEntry(source, label.length() > 64 ? "#" + (i + 1) : label, e.kind, e.getMessage()));
            }
        }
        return new SourceResult(targets, invalid);
    }

    static Target toTarget(String source, TargetEntry entry) throws Invalid {
        String name = entry.name();
        try {
            Target.requireValidName(name);
        } catch (IllegalArgumentException e) {
            throw new Invalid("invalid_name", e.getMessage());
        }
        TargetType type;
        try {
            type = TargetType.parse(entry.type() == null ? "generic" : entry.type());
        } catch (IllegalArgumentException e) {
            throw new Invalid("invalid_type", e.getMessage());
        }
        RedactedUrl url;
        try {
            url = RedactedUrl.parse(entry.url());
        } catch (IllegalArgumentException e) {
            throw new Invalid("invalid_url", e.getMessage());
        }
        if (!SCHEMES.contains(url.scheme())) {
            throw new Invalid("invalid_url", "url scheme must be http, https or tcp, not '" + url.scheme() + "'");
        }
        if (url.scheme().equals("tcp") && url.port() < 0) {
            throw new Invalid("invalid_url", "tcp url needs a port, like tcp://host:6379");
        }
        return new Target(name, type, url, entry.enabled() == null || entry.enabled(), entry.labels(), source,
                probe(entry.probe()));
    }

    private static ProbeOverrides probe(TargetEntry.Probe probe) throws Invalid {
        if (probe == null) {
            return ProbeOverrides.NONE;
        }
        String method = probe.method() == null ? null : probe.method().toUpperCase(Locale.ROOT);
        if (method != null && !METHODS.contains(method)) {
            throw new Invalid("invalid_probe", "probe.method must be one of " + METHODS);
        }
        if (probe.expectedStatus() != null) {
            for (Integer code : probe.expectedStatus()) {
                if (code == null || code < 100 || code > 599) {
                    throw new Invalid("invalid_probe", "probe.expectedStatus holds " + code + ", not an HTTP status");
                }
            }
        }
        java.time.Duration timeout = null;
        if (probe.timeout() != null) {
            try {
                timeout = Duration.parse(probe.timeout()).toJavaDuration();
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new Invalid("invalid_probe", "probe.timeout '" + abbreviate(probe.timeout())
                        + "' is not a duration like 5s");
            }
            try {
                ProbeLimits.requireValidTimeout(timeout, abbreviate(probe.timeout()));
            } catch (IllegalArgumentException e) {
                throw new Invalid("invalid_probe", "probe." + e.getMessage());
            }
        }
        BodyMatch bodyMatch = null;
        if (probe.bodyMatch() != null) {
            try {
                bodyMatch = BodyMatch.compile(probe.bodyMatch());
            } catch (IllegalArgumentException e) {
                throw new Invalid("invalid_probe", "probe." + e.getMessage());
            }
        }
        try {
            // ProbeOverrides holds ProbeLimits, the rule the prober shares: a timeout it can wait and
            // headers java.net.http will send, or the target would stay unknown with a WARN per probe.
            return new ProbeOverrides(method, probe.expectedStatus(), timeout, bodyMatch, probe.tlsVerify(),
                    probe.headers());
        } catch (IllegalArgumentException e) {
            throw new Invalid("invalid_probe", "probe." + e.getMessage());
        }
    }

    private static String shaping(ProbeOverrides probe) {
        List<String> fields = new ArrayList<>();
        if (probe.method() != null) {
            fields.add("method");
        }
        if (probe.headers() != null) {
            fields.add("headers");
        }
        if (probe.bodyMatch() != null) {
            fields.add("bodyMatch");
        }
        if (Boolean.FALSE.equals(probe.tlsVerify())) {
            fields.add("tlsVerify: false");
        }
        return String.join(", ", fields);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    static final class Invalid extends Exception {
        final String kind;

        Invalid(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }
}
