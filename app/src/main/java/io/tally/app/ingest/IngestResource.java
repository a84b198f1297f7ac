package io.tally.app.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tally.app.resources.ApiError;
import io.tally.app.sharding.ShardedTargets;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.workers.WorkersFactory;
import io.tally.collectors.workers.WorkersSource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /ingest/v1/events}: worker events from publishers in any language, NDJSON, one
 * recorder call per line. The body is bounded ({@code ingest.maxBodySize}, else 413 and nothing
 * recorded); each line is validated on its own and either recorded or refused with its reason, so
 * a bad line never drops the good ones. Needs the {@code ingest} role when auth is on.
 */
@RolesAllowed("ingest")
@Path("/ingest/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public final class IngestResource {
    /** One event per line: text after the object, or a key given twice, is a refusal, not a guess. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final WorkersSource recorder;
    private final TargetCatalog discovered;
    private final IngestConfiguration config;
    private final boolean enabled;

    /**
     * Sharded, a replica takes events for every discovered target, not only the ones it owns: a
     * pusher behind a load balancer reaches any replica.
     */
    @Inject
    public IngestResource(WorkersSource recorder, ShardedTargets targets, IngestConfiguration config,
                          WorkersFactory workers) {
        this.recorder = recorder;
        this.discovered = targets.discovered();
        this.config = config;
        this.enabled = workers.enabled();
    }

    /** @param refused the first {@code ingest.maxRefusalsListed} refused lines; {@code refused_count} counts all */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Answer(int lines, int accepted, int refusedCount, List<Refusal> refused) {
    }

    /** @param line 1-based line number in the body */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Refusal(int line, String reason) {
    }

    @POST
    @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON,
            MediaType.APPLICATION_OCTET_STREAM})
    public Answer ingest(InputStream body) throws IOException {
        if (!enabled) {
            throw ApiError.notFound("the workers recorder is off: set workers.enabled: true to ingest events");
        }
        String text = read(body);
        int lines = 0;
        int accepted = 0;
        int refusedCount = 0;
        List<Refusal> refused = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            number++;
            String line = text.substring(start, end).strip();
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            lines++;
            String reason = recordLine(line);
            if (reason == null) {
                accepted++;
            } else {
                refusedCount++;
                recorder.refusedLine();
                if (refused.size() < config.maxRefusalsListed()) {
                    refused.add(new Refusal(number, reason));
                }
            }
        }
        if (lines == 0) {
            throw new WebApplicationException(ApiError.response(400,
                    "no events: the body must hold one JSON event per line (NDJSON)"));
        }
        return new Answer(lines, accepted, refusedCount, List.copyOf(refused));
    }

    /** Records one line; its refusal reason, or null when it was taken. */
    private String recordLine(String line) {
        if (line.length() > config.maxLineLength()) {
            return "line longer than ingest.maxLineLength (" + config.maxLineLength() + " characters)";
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return "not valid JSON";
        }
        try {
            IngestEvent.record(node, recorder, name -> discovered.current().get(name) != null);
            return null;
        } catch (IngestEvent.Refused e) {
            return e.getMessage();
        }
    }

    /**
     * The body, or 413 past {@code ingest.maxBodySize} without reading further, or 408 when it has
     * not all arrived within {@code ingest.readTimeout}.
     */
    private String read(InputStream body) throws IOException {
        long max = config.maxBodyBytes();
        long deadline = System.nanoTime() + config.readTimeoutNanos();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = readSome(body, buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (out.size() > max) {
                throw new WebApplicationException(ApiError.response(413,
                        "body larger than ingest.maxBodySize (" + max + " bytes): send fewer events per request"));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new WebApplicationException(ApiError.response(408,
                        "the body did not arrive within ingest.readTimeout"));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A body declared gzip that is not is the caller's error (400), not the server's. */
    private static int readSome(InputStream body, byte[] buffer) throws IOException {
        try {
            return body.read(buffer);
        } catch (IOException | RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.util.zip.ZipException) {
                    throw new WebApplicationException(ApiError.response(400,
                            "the body is not valid gzip, as its Content-Encoding says"));
                }
            }
            throw e;
        }
    }
}
