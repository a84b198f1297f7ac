package io.tally.app.stats;

/** How a target name asked for is shown back in a message: the one rule for every answer that echoes it. */
public final class TargetNames {
    /** A valid target name is at most this long; anything longer is cut, so a huge path never fills a message. */
    static final int MAX_SHOWN = 128;

    private TargetNames() {
    }

    /** The name, or its first 128 characters and "..." when it is longer. */
    public static String shortened(String name) {
        return name.length() > MAX_SHOWN ? name.substring(0, MAX_SHOWN) + "..." : name;
    }
}
