package io.tally.app.trends;

import java.util.Arrays;

/**
 * Points (millisecond timestamp, double) compressed as in Facebook's Gorilla paper: the first
 * point raw, then delta-of-delta timestamps in variable-width buckets ({@code 0},
 * {@code 10}+7, {@code 110}+9, {@code 1110}+12, {@code 1111}+64 bits) and values XORed with the
 * previous one ({@code 0} when equal; {@code 10} + meaningful bits when they fit the previous
 * window; {@code 11} + 5 bits leading zeros + 6 bits length + meaningful bits otherwise).
 * Appends go to the writer; readers decode a copy of the bits, so a chunk can be read while it grows.
 */
final class GorillaChunk {
    private long[] words = new long[4];
    private int bits;
    private int count;
    private long firstTime;
    private long lastTime;
    private long lastDelta;
    private long lastValueBits;
    private int lastLeading = -1;
    private int lastTrailing;

    int count() {
        return count;
    }

    long firstTime() {
        return firstTime;
    }

    long lastTime() {
        return lastTime;
    }

    int sizeBytes() {
        return (bits + 7) / 8;
    }

    void append(long time, double value) {
        long valueBits = Double.doubleToRawLongBits(value);
        if (count == 0) {
            write(time, 64);
            write(valueBits, 64);
            firstTime = time;
        } else {
            long delta = time - lastTime;
            long dod = count == 1 ? delta : delta - lastDelta;
            if (dod == 0) {
                write(0, 1);
            } else if (dod >= -63 && dod <= 64) {
                write(0b10, 2);
                write(dod + 63, 7);
            } else if (dod >= -255 && dod <= 256) {
                write(0b110, 3);
                write(dod + 255, 9);
            } else if (dod >= -2047 && dod <= 2048) {
                write(0b1110, 4);
                write(dod + 2047, 12);
            } else {
                write(0b1111, 4);
                write(dod, 64);
            }
            lastDelta = delta;
            long xor = valueBits ^ lastValueBits;
            if (xor == 0) {
                write(0, 1);
            } else {
                int leading = Math.min(31, Long.numberOfLeadingZeros(xor));
                int trailing = Long.numberOfTrailingZeros(xor);
                if (lastLeading >= 0 && leading >= lastLeading && trailing >= lastTrailing) {
                    write(0b10, 2);
                    write(xor >>> lastTrailing, 64 - lastLeading - lastTrailing);
                } else {
                    int length = 64 - leading - trailing;
                    write(0b11, 2);
                    write(leading, 5);
                    write(length - 1, 6);
                    write(xor >>> trailing, length);
                    lastLeading = leading;
                    lastTrailing = trailing;
                }
            }
        }
        lastTime = time;
        lastValueBits = valueBits;
        count++;
    }

    /** Decodes every point into the two arrays (sized at least {@link #count()}). */
    int decode(long[] times, double[] values) {
        Reader in = new Reader(Arrays.copyOf(words, (bits + 63) / 64 + 1), bits);
        int n = count;
        if (n == 0) {
            return 0;
        }
        long time = in.read(64);
        long valueBits = in.read(64);
        times[0] = time;
        values[0] = Double.longBitsToDouble(valueBits);
        long delta = 0;
        int leading = -1;
        int trailing = 0;
        for (int i = 1; i < n; i++) {
            long dod;
            if (in.read(1) == 0) {
                dod = 0;
            } else if (in.read(1) == 0) {
                dod = in.read(7) - 63;
            } else if (in.read(1) == 0) {
                dod = in.read(9) - 255;
            } else if (in.read(1) == 0) {
                dod = in.read(12) - 2047;
            } else {
                dod = in.read(64);
            }
            delta = i == 1 ? dod : delta + dod;
            time += delta;
            if (in.read(1) == 1) {
                if (in.read(1) == 0) {
                    valueBits ^= in.read(64 - leading - trailing) << trailing;
                } else {
                    leading = (int) in.read(5);
                    int length = (int) in.read(6) + 1;
                    trailing = 64 - leading - length;
                    valueBits ^= in.read(length) << trailing;
                }
            }
            times[i] = time;
            values[i] = Double.longBitsToDouble(valueBits);
        }
        return n;
    }

    // Persistence: the bits and the count are all a chunk is; the writer state is rebuilt by decoding.

    byte[] bytes() {
        byte[] out = new byte[sizeBytes()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (words[i / 8] >>> (56 - 8 * (i % 8)));
        }
        return out;
    }

    static GorillaChunk restore(byte[] bytes, int bits, int count) {
        if (bits < 0 || bits > bytes.length * 8 || count < 0 || (count > 0 && bits < 128)) {
            throw new IllegalArgumentException("inconsistent chunk header");
        }
        GorillaChunk chunk = new GorillaChunk();
        chunk.words = new long[Math.max(4, (bytes.length + 7) / 8 + 1)];
        for (int i = 0; i < bytes.length; i++) {
            chunk.words[i / 8] |= (bytes[i] & 0xffL) << (56 - 8 * (i % 8));
        }
        chunk.bits = bits;
        if (count > 0) {
            // Rebuild the writer state (last time, delta, value, window) by replaying the points.
            long[] times = new long[count];
            double[] values = new double[count];
            chunk.count = count;
            chunk.decode(times, values);
            GorillaChunk replay = new GorillaChunk();
            for (int i = 0; i < count; i++) {
                replay.append(times[i], values[i]);
            }
            if (replay.bits != bits) {
                throw new IllegalArgumentException("chunk does not decode to its own length");
            }
            return replay;
        }
        return chunk;
    }

    int bitLength() {
        return bits;
    }

    /** Drops the spare capacity of a chunk that will not grow again (sealed): its words double as they fill. */
    void trim() {
        int needed = (bits + 63) / 64 + 1;
        if (words.length > needed) {
            words = Arrays.copyOf(words, needed);
        }
    }

    /** Heap held by the chunk's bits, spare capacity included. */
    long retainedBytes() {
        return 16L + 8L * words.length;
    }

    private void write(long value, int n) {
        if (n == 0) {
            return;
        }
        if (bits + n > words.length * 64L) {
            words = Arrays.copyOf(words, words.length * 2);
        }
        int word = bits >>> 6;
        int used = bits & 63;
        int free = 64 - used;
        long v = n == 64 ? value : value & ((1L << n) - 1);
        if (n <= free) {
            words[word] |= v << (free - n);
        } else {
            words[word] |= v >>> (n - free);
            words[word + 1] |= v << (64 - (n - free));
        }
        bits += n;
    }

    private static final class Reader {
        private final long[] words;
        private final int limit;
        private int position;

        Reader(long[] words, int limit) {
            this.words = words;
            this.limit = limit;
        }

        long read(int n) {
            if (n == 0) {
                return 0;
            }
            if (position + n > limit) {
                throw new IllegalStateException("chunk ends early");
            }
            int word = position >>> 6;
            int used = position & 63;
            int available = 64 - used;
            long out;
            if (n <= available) {
                out = words[word] >>> (available - n);
            } else {
                out = (words[word] << (n - available)) | (words[word + 1] >>> (64 - (n - available)));
            }
            position += n;
            return n == 64 ? out : out & ((1L << n) - 1);
        }
    }
}
