package io.tally.collectors.publisher.text;

/** The exposition text is not valid; the only exception the parser throws. */
public final class ExpositionParseException extends Exception {
    private final int line;
    private final boolean overSampleLimit;

    public ExpositionParseException(int line, String message) {
        this(line, message, false);
    }

    ExpositionParseException(int line, String message, boolean overSampleLimit) {
        super("line " + line + ": " + message);
        this.line = line;
        this.overSampleLimit = overSampleLimit;
    }

    public int line() {
        return line;
    }

    /** True when the text was refused for its number of samples, not for what it said. */
    public boolean overSampleLimit() {
        return overSampleLimit;
    }
}
