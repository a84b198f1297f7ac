package io.tally.collectors.queue;

/**
 * A partitioned log and, when one is named, a consumer group's place in it (Kafka), read in one
 * poll. Arrays are indexed by partition and never changed after construction.
 *
 * @param logStart  each partition's earliest offset still held
 * @param logEnd    each partition's log-end offset (the next offset to be written)
 * @param committed the group's committed offset per partition, {@code -1} where it committed none
 * @param group     true when the reading is for a consumer group, false for the topic alone
 */
public record PartitionOffsets(long[] logStart, long[] logEnd, long[] committed, boolean group) {

    public int partitions() {
        return logEnd.length;
    }

    /**
     * Where the group stands in a partition: its committed offset, or the log start where it
     * committed none (it has consumed nothing that is still held), never past the log end.
     */
    public long position(int partition) {
        long c = committed[partition];
        return Math.min(c < 0 ? logStart[partition] : Math.max(c, logStart[partition]), logEnd[partition]);
    }

    /** Messages of the partition the group has not consumed yet; for a topic alone, the messages held. */
    public long lag(int partition) {
        return logEnd[partition] - position(partition);
    }

    public long totalLag() {
        long sum = 0;
        for (int p = 0; p < logEnd.length; p++) {
            sum += lag(p);
        }
        return sum;
    }

    public long maxPartitionLag() {
        long max = 0;
        for (int p = 0; p < logEnd.length; p++) {
            max = Math.max(max, lag(p));
        }
        return max;
    }

    public long logEndSum() {
        long sum = 0;
        for (long end : logEnd) {
            sum += end;
        }
        return sum;
    }

    public long positionSum() {
        long sum = 0;
        for (int p = 0; p < logEnd.length; p++) {
            sum += position(p);
        }
        return sum;
    }
}
