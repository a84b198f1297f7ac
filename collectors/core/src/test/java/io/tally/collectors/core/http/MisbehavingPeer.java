package io.tally.collectors.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A raw TCP server on loopback that misbehaves in one chosen way, for the faults java.net.http's
 * own servers cannot produce; switched to {@link Mode#OK} it answers {@code 200 ok}, so the same
 * target can recover. It records how much it wrote and whether the client hung up. Shared with the
 * health module's tests through this module's test jar.
 */
public final class MisbehavingPeer implements AutoCloseable {
    public enum Mode {
        /** Answers {@code 200} with a two-byte body. */
        OK,
        /** Sends {@code 200} with {@code Content-Length: 100}, then nothing. */
        STALL_AFTER_HEADERS,
        /** Accepts and reads, never writes a byte (an HTTP server hung, or a TLS handshake never answered). */
        SILENT,
        /** Reads the request, then resets the connection. */
        RESET,
        /** Sends a chunked body of up to 50 MB, as fast as the client takes it. */
        HUGE_CHUNKED,
        /** Declares {@code Content-Length} of 50 MB, then sends it. */
        HUGE_DECLARED
    }

    public static final long FIFTY_MB = 50L * 1024 * 1024;

    private final ServerSocket server;
    private final AtomicReference<Mode> mode;
    public final AtomicInteger accepted = new AtomicInteger();
    public final AtomicInteger hungUp = new AtomicInteger();
    public final AtomicLong bodyBytesWritten = new AtomicLong();
    public final CountDownLatch firstHangUp = new CountDownLatch(1);

    public MisbehavingPeer(Mode mode) throws IOException {
        this.mode = new AtomicReference<>(mode);
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("misbehaving-peer").start(this::acceptLoop);
    }

    public void become(Mode next) {
        mode.set(next);
    }

    public String url(String scheme) {
        return scheme + "://127.0.0.1:" + server.getLocalPort() + "/health?token=SECRETXYZ";
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Mode mode = this.mode.get();
            if (mode == Mode.SILENT) {
                untilHangUp(in);
                return;
            }
            readRequestHead(in);
            switch (mode) {
                case OK -> {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case STALL_AFTER_HEADERS -> {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    untilHangUp(in);
                }
                case RESET -> socket.setSoLinger(true, 0);
                case HUGE_CHUNKED -> {
                    out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    while (bodyBytesWritten.get() < FIFTY_MB) {
                        out.write(head);
                        out.write(chunk);
                        out.write('\r');
                        out.write('\n');
                        bodyBytesWritten.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    untilHangUp(in);
                }
                case HUGE_DECLARED -> {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + FIFTY_MB + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    while (bodyBytesWritten.get() < FIFTY_MB) {
                        out.write(chunk);
                        bodyBytesWritten.addAndGet(chunk.length);
                    }
                    out.flush();
                    untilHangUp(in);
                }
                default -> throw new IllegalStateException(mode.name());
            }
        } catch (IOException e) {
            // The client closed while we wrote: that is a hang-up too.
            hungUp();
        }
    }

    private void untilHangUp(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // drain whatever the client sends (a TLS ClientHello, a request)
        }
        hungUp();
    }

    private void hungUp() {
        hungUp.incrementAndGet();
        firstHangUp.countDown();
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before the end of its request");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
