package io.tally.app.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * JSON bodies rendered once per epoch and served as bytes to every request for the same view:
 * Jackson runs once per view per collection, not once per request. An epoch is the snapshot and
 * the trend record a view reads, both numbered upwards; a newer epoch drops every body of the older
 * one, and a request still reading an older one renders for itself.
 */
final class RenderedViews {
    /**
     * Bytes of bodies kept per epoch (a target's view is about 2 KB, so 10 000 targets fit); beyond
     * it a view is rendered per request, so odd queries cannot make the cache grow without bound.
     */
    static final long MAX_BYTES = 32L << 20;

    private static final byte[] SNAPSHOT_FIRST = "{\"snapshot\":{".getBytes(StandardCharsets.UTF_8);

    private final ObjectWriter writer;
    private final AtomicReference<Epoch> epoch = new AtomicReference<>(new Epoch(-1, -1));

    private record Epoch(long snapshot, long trends, Map<String, byte[]> views, AtomicLong bytes) {
        Epoch(long snapshot, long trends) {
            this(snapshot, trends, new ConcurrentHashMap<>(), new AtomicLong());
        }

        int compareTo(long otherSnapshot, long otherTrends) {
            int bySnapshot = Long.compare(snapshot, otherSnapshot);
            return bySnapshot != 0 ? bySnapshot : Long.compare(trends, otherTrends);
        }
    }

    /** @param json the mapper Jersey writes responses with, so cached bodies equal rendered ones */
    RenderedViews(ObjectMapper json) {
        this.writer = json.writer();
    }

    byte[] get(long snapshot, long trends, String view, Supplier<Object> body) {
        Epoch current = epoch.get();
        while (current.compareTo(snapshot, trends) < 0) {
            Epoch fresh = new Epoch(snapshot, trends);
            current = epoch.compareAndSet(current, fresh) ? fresh : epoch.get();
        }
        if (current.compareTo(snapshot, trends) != 0) {
            return render(body.get());
        }
        byte[] cached = current.views().get(view);
        if (cached != null) {
            return cached;
        }
        byte[] rendered = render(body.get());
        if (current.bytes().addAndGet(rendered.length) <= MAX_BYTES) {
            current.views().putIfAbsent(view, rendered);
        }
        return rendered;
    }

    /**
     * A /stats body whose leading {@code snapshot} object is told afresh: its {@code age_seconds} is
     * "now", while the rest was rendered once for the snapshot. The snapshot object is the body's
     * first field and holds no nested object, so it ends at the body's first closing brace.
     */
    byte[] withSnapshotNow(byte[] body, Object snapshotNow) {
        if (!startsWith(body, SNAPSHOT_FIRST)) {
            throw new IllegalStateException("a /stats body begins with its snapshot object");
        }
        int end = indexOf(body, (byte) '}') + 1;
        byte[] head = render(Map.of("snapshot", snapshotNow));
        byte[] out = new byte[head.length - 1 + body.length - end];
        System.arraycopy(head, 0, out, 0, head.length - 1);
        System.arraycopy(body, end, out, head.length - 1, body.length - end);
        return out;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalStateException("not a JSON object");
    }

    private byte[] render(Object body) {
        try {
            return writer.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
