package io.tally.app.stats;

import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.health.HealthStatus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code /stats} item query: filters, sort and a page. Every bad value is an {@link InvalidQuery}
 * naming the parameter and what it accepts (a 400 at the resource). The cursor is opaque to
 * clients (base64 of an offset).
 */
public record StatsQuery(int limit, int offset, String type, String status, List<String[]> labels, String q,
                         String sort) {
    static final Set<String> SORTS = Set.of("name", "status", "success_ratio", "latency");

    public static StatsQuery parse(String limit, String cursor, String type, String status, List<String> labels,
                                   String q, String sort) {
        int parsedLimit = 100;
        if (limit != null) {
            try {
                parsedLimit = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw new InvalidQuery("limit", "a whole number from 1 to 1000");
            }
            if (parsedLimit < 1 || parsedLimit > 1000) {
                throw new InvalidQuery("limit", "a whole number from 1 to 1000");
            }
        }
        int offset = cursor == null ? 0 : decodeCursor(cursor);
        if (type != null) {
            try {
                TargetType.parse(type);
            } catch (IllegalArgumentException e) {
                throw new InvalidQuery("type", "one of webhook, slack, rootly, pagerduty, alertmanager, generic");
            }
        }
        if (status != null && java.util.Arrays.stream(HealthStatus.values()).noneMatch(s -> s.label().equals(status))) {
            throw new InvalidQuery("status", "one of healthy, degraded, unhealthy, unknown");
        }
        List<String[]> parsedLabels = new ArrayList<>();
        for (String label : labels == null ? List.<String>of() : labels) {
            int colon = label.indexOf(':');
            if (colon <= 0) {
                throw new InvalidQuery("label", "key:value, e.g. label=team:sre (repeatable)");
            }
            parsedLabels.add(new String[] {label.substring(0, colon), label.substring(colon + 1)});
        }
        String parsedSort = sort == null ? "name" : sort.toLowerCase(Locale.ROOT);
        if (!SORTS.contains(parsedSort)) {
            throw new InvalidQuery("sort", "one of name, status, success_ratio, latency");
        }
        return new StatsQuery(parsedLimit, offset, type == null ? null : TargetType.parse(type).label(), status,
                parsedLabels, q, parsedSort);
    }

    static String encodeCursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("o:")) {
                throw new IllegalArgumentException();
            }
            int offset = Integer.parseInt(text.substring(2));
            if (offset < 0) {
                throw new IllegalArgumentException();
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw new InvalidQuery("cursor", "the next_cursor of a previous response, as it was");
        }
    }

    /** Everything that selects and orders targets (not the page): the memo key. */
    String selectionKey() {
        StringBuilder key = new StringBuilder().append(type).append('\u0000').append(status).append('\u0000')
                .append(q).append('\u0000').append(sort);
        for (String[] label : labels) {
            key.append('\u0000').append(label[0]).append('=').append(label[1]);
        }
        return key.toString();
    }

    boolean matches(TargetView view) {
        if (type != null && !view.target().type().label().equals(type)) {
            return false;
        }
        if (status != null && !view.status().label().equals(status)) {
            return false;
        }
        if (q != null && !view.name().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT))) {
            return false;
        }
        Map<String, String> targetLabels = view.target().labels();
        for (String[] label : labels) {
            if (!label[1].equals(targetLabels.get(label[0]))) {
                return false;
            }
        }
        return true;
    }

    Comparator<TargetView> order() {
        Comparator<TargetView> byName = Comparator.comparing(TargetView::name);
        return switch (sort) {
            case "status" -> Comparator.comparingInt((TargetView t) -> severity(t.status())).thenComparing(byName);
            case "success_ratio" -> Comparator.comparing(TargetView::successRatio,
                    Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(byName);
            case "latency" -> Comparator.comparing(TargetView::latencyP95Seconds,
                    Comparator.nullsLast(Comparator.<Double>reverseOrder())).thenComparing(byName);
            default -> byName;
        };
    }

    /** Worst first. */
    private static int severity(HealthStatus status) {
        return switch (status) {
            case UNHEALTHY -> 0;
            case DEGRADED -> 1;
            case UNKNOWN -> 2;
            case HEALTHY -> 3;
        };
    }
}
