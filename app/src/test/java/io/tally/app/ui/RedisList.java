package io.tally.app.ui;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A Redis list on the machine's Redis (127.0.0.1:6379), spoken to in RESP over one socket: the few
 * commands a test needs to give a queue a depth, without a client library's logging in the test's
 * output.
 */
final class RedisList implements AutoCloseable {
    private final String key;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RedisList(String key) throws IOException {
        this.key = key;
        this.socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", 6379), 5_000);
        socket.setSoTimeout(5_000);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** Appends one entry; returns the list's length. */
    synchronized long push(String value) throws IOException {
        return integer("RPUSH", key, value);
    }

    /** Keeps only the last {@code count} entries. */
    synchronized void keepLast(int count) throws IOException {
        command("LTRIM", key, String.valueOf(-count), "-1");
        reply();
    }

    synchronized void delete() throws IOException {
        integer("DEL", key);
    }

    private long integer(String... args) throws IOException {
        command(args);
        String reply = reply();
        if (!reply.startsWith(":")) {
            throw new IOException("redis answered " + reply + " to " + args[0]);
        }
        return Long.parseLong(reply.substring(1));
    }

    private void command(String... args) throws IOException {
        StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            resp.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One simple reply line (+OK, :3, -ERR ...). */
    private String reply() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (line.toString().startsWith("-")) {
            throw new IOException("redis: " + line.substring(1));
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
