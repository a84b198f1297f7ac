package io.tally.benchmarks.soak;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What one wrk run printed: requests, rate, latency percentiles, non-2xx/3xx answers and socket errors. */
record WrkResult(String url, long requests, double perSecond, String p50, String p99, long non2xx,
                 long connectErrors, long readErrors, long writeErrors, long timeouts, boolean complete) {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P50 = Pattern.compile("\\s50%\\s+(\\S+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+(\\S+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    static WrkResult parse(String url, String output) {
        Matcher socket = SOCKET.matcher(output);
        boolean hasSocket = socket.find();
        return new WrkResult(url, longOf(REQUESTS, output), doubleOf(RATE, output), textOf(P50, output),
                textOf(P99, output), longOf(NON_2XX, output),
                hasSocket ? Long.parseLong(socket.group(1)) : 0, hasSocket ? Long.parseLong(socket.group(2)) : 0,
                hasSocket ? Long.parseLong(socket.group(3)) : 0, hasSocket ? Long.parseLong(socket.group(4)) : 0,
                RATE.matcher(output).find());
    }

    long socketErrors() {
        return connectErrors + readErrors + writeErrors + timeouts;
    }

    private static long longOf(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double doubleOf(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String textOf(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "?";
    }
}
