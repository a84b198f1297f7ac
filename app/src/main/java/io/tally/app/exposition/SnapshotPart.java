package io.tally.app.exposition;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A snapshot's families in one format, as {@code /metrics} serves them: each family's text in order
 * (see {@link FamilyText}), written to the response slice by slice instead of joined, since most of
 * it is shared with the previous snapshot's text and one multi-megabyte copy per snapshot would cost
 * more than the rendering saved.
 */
public final class SnapshotPart {
    private final FamilyText[] families;

    SnapshotPart(FamilyText[] families) {
        this.families = families;
    }

    public void writeTo(OutputStream out) throws IOException {
        for (FamilyText family : families) {
            family.writeTo(out);
        }
    }

    /** The bytes {@link #writeTo} writes. */
    public long length() {
        long length = 0;
        for (FamilyText family : families) {
            length += family.length();
        }
        return length;
    }

    /** The text as one array, for tests and tools; serving writes the slices instead. */
    public byte[] toByteArray() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.toIntExact(length()));
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
