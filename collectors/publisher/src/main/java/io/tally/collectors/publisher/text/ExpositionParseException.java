package io.tally.collectors.publisher.text;

/** The exposition text is not valid; the only exception the parser throws. */
public final class ExpositionParseException extends Exception {
    private final int line;

    public ExpositionParseException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
