package io.tally.app.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code ingest:} block: how much one POST /ingest/v1/events may carry. */
public class IngestConfiguration {
    /** A larger body is refused whole with 413, before any line is recorded. */
    @NotNull
    @MinDataSize(1024)
    @MaxDataSize(value = 64, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    @JsonProperty
    private DataSize maxBodySize = DataSize.mebibytes(1);

    /**
     * The whole body must arrive within this; a caller that trickles it gets 408. Jetty's idle
     * timeout bounds each read, so the worst case is this plus one idle timeout.
     */
    @NotNull
    @io.dropwizard.validation.MinDuration(value = 100, unit = java.util.concurrent.TimeUnit.MILLISECONDS)
    @JsonProperty
    private io.dropwizard.util.Duration readTimeout = io.dropwizard.util.Duration.seconds(30);

    /** Lines over this many characters are refused one by one. */
    @Min(64)
    @Max(1_048_576)
    @JsonProperty
    private int maxLineLength = 4096;

    /** At most this many refused lines are listed in the answer; all of them are counted. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int maxRefusalsListed = 100;

    public long maxBodyBytes() {
        return maxBodySize.toBytes();
    }

    public long readTimeoutNanos() {
        return readTimeout.toNanoseconds();
    }

    public int maxLineLength() {
        return maxLineLength;
    }

    public int maxRefusalsListed() {
        return maxRefusalsListed;
    }
}
