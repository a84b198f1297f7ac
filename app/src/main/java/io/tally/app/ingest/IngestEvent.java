package io.tally.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;
import io.tally.collectors.workers.WorkerNames;
import io.tally.collectors.workers.WorkersSource;

import java.util.Iterator;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One NDJSON line of POST /ingest/v1/events: a recorder call as JSON, validated completely before
 * anything is recorded, so a refused line changes nothing. The events and their fields are in
 * docs/collectors/workers.md.
 */
final class IngestEvent {
    /** Why a line was refused: the message the caller sees. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The longest a job may run or wait, for a number to count as one: a day. */
    private static final double MAX_SECONDS = 86_400;

    private IngestEvent() {
    }

    /**
     * Validates {@code line} and records it; throws {@link Refused} (nothing recorded) when it is not
     * valid or names a target {@code discovered} does not hold.
     */
    static void record(JsonNode line, WorkersSource recorder, Predicate<String> discovered) throws Refused {
        if (line == null || !line.isObject()) {
            throw new Refused("not a JSON object");
        }
        String event = text(line, "event", true);
        switch (event) {
            case "submitted" -> {
                only(line, "event", "priority", "result");
                String priority = word(line, "priority");
                String result = word(line, "result");
                recorder.submitted(priority, result);
            }
            case "started" -> {
                only(line, "event", "target");
                recorder.started(target(line, recorder, discovered));
            }
            case "finished" -> {
                only(line, "event", "target", "outcome", "duration_seconds", "wait_seconds");
                String target = target(line, recorder, discovered);
                String outcomeText = text(line, "outcome", true);
                JobOutcome outcome = JobOutcome.parse(outcomeText);
                if (outcome == null) {
                    throw new Refused("outcome '" + shorten(outcomeText)
                            + "' is not one of success, failed, retried, dead_lettered");
                }
                double duration = seconds(line, "duration_seconds", true);
                double wait = seconds(line, "wait_seconds", false);
                recorder.finished(target, outcome, (long) (duration * 1e9), (long) (wait * 1e9));
            }
            case "retry" -> {
                only(line, "event", "target", "error_type");
                String target = target(line, recorder, discovered);
                recorder.retry(target, word(line, "error_type"));
            }
            case "breaker" -> {
                only(line, "event", "target", "state");
                String target = target(line, recorder, discovered);
                String stateText = text(line, "state", true);
                BreakerState state = BreakerState.parse(stateText);
                if (state == null) {
                    throw new Refused("state '" + shorten(stateText) + "' is not one of closed, half_open, open");
                }
                recorder.breaker(target, state);
            }
            case "dlq_write" -> {
                only(line, "event", "target", "error_type");
                String target = target(line, recorder, discovered);
                recorder.dlqWrite(target, word(line, "error_type"));
            }
            case "dlq_replay" -> {
                only(line, "event", "target", "result");
                String target = target(line, recorder, discovered);
                String result = text(line, "result", true);
                if (!result.equals("success") && !result.equals("failed")) {
                    throw new Refused("result '" + shorten(result) + "' is not one of success, failed");
                }
                recorder.dlqReplay(target, result.equals("success"));
            }
            case "workers" -> {
                only(line, "event", "active", "idle");
                int active = count(line, "active");
                int idle = count(line, "idle");
                recorder.workers(active, idle);
            }
            default -> throw new Refused("event '" + shorten(event) + "' is not one of " + EVENTS);
        }
    }

    static final String EVENTS = "submitted, started, finished, retry, breaker, dlq_write, dlq_replay, workers";

    private static void only(JsonNode line, String... allowed) throws Refused {
        Set<String> names = Set.of(allowed);
        for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!names.contains(field)) {
                throw new Refused("unknown field '" + shorten(field) + "' for event '" + line.get("event").asText()
                        + "' (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    private static String text(JsonNode line, String field, boolean required) throws Refused {
        JsonNode value = line.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new Refused("missing field '" + field + "'");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new Refused("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    /**
     * A pushed name must be a discovered target: the recorder keeps a target's cells for the life of
     * the process, so names nobody discovered (typos, a pusher sending run ids) would otherwise take
     * the {@code workers.maxTargets} places for good and lock the real targets out.
     */
    private static String target(JsonNode line, WorkersSource recorder, Predicate<String> discovered) throws Refused {
        String target = text(line, "target", true);
        WorkersSource.Drop drop = recorder.wouldDrop(target);
        if (drop == WorkersSource.Drop.INVALID_TARGET) {
            throw new Refused("target '" + shorten(target) + "' is not a valid target name ([A-Za-z0-9][A-Za-z0-9_.:-]{0,127})");
        }
        if (!discovered.test(target)) {
            throw new Refused("target '" + shorten(target) + "' is not a discovered target: events are taken for the"
                    + " targets discovery found (GET /stats lists them)");
        }
        if (drop == WorkersSource.Drop.TARGET_LIMIT) {
            throw new Refused("target '" + shorten(target) + "' is new and the recorder already keeps workers.maxTargets targets");
        }
        return target;
    }

    private static String word(JsonNode line, String field) throws Refused {
        String word = text(line, field, true);
        if (!WorkerNames.validWord(word)) {
            throw new Refused("field '" + field + "' must be 1 to 64 of [A-Za-z0-9_.:-], starting with a letter or digit");
        }
        return word;
    }

    private static double seconds(JsonNode line, String field, boolean required) throws Refused {
        JsonNode value = line.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new Refused("missing field '" + field + "'");
            }
            return 0;
        }
        if (!value.isNumber() || !(value.asDouble() >= 0) || value.asDouble() > MAX_SECONDS) {
            throw new Refused("field '" + field + "' must be a number of seconds from 0 to " + (long) MAX_SECONDS);
        }
        return value.asDouble();
    }

    private static int count(JsonNode line, String field) throws Refused {
        JsonNode value = line.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw new Refused("field '" + field + "' must be a whole number from 0");
        }
        return value.asInt();
    }

    /** Caller text quoted back, cut short: a refusal message is no echo chamber. */
    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }

}
