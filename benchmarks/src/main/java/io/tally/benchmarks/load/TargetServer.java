package io.tally.benchmarks.load;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loopback HTTP server answering 200 to everything, run in its own JVM so that the process under
 * measurement pays only for its own side. Usage: {@code TargetServer <port> [stall-port]}; prints the
 * request count every 10 s.
 *
 * <p>With a stall port, every request to that port is answered {@code HTTP/1.1 200} with
 * {@code Content-Length: 100} and then nothing: the connection is held until the client closes it
 * (the stalled peer of issue 10). {@code GET /_status} on the main port tells how many stalled
 * connections are held right now and how many were opened, so a harness can see whether the client
 * ever lets go of them.
 */
public final class TargetServer {
    private TargetServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Stalls stalls = args.length > 1 ? Stalls.listen(Integer.parseInt(args[1])) : null;
        LongAdder requests = new LongAdder();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.createContext("/", exchange -> {
            requests.increment();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/_status", exchange -> {
            byte[] body = ("requests " + requests.sum() + "\n" + (stalls == null ? "" : stalls.describe()))
                    .getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("listening on " + server.getAddress().getPort()
                + (stalls == null ? "" : ", stalling on " + stalls.port()));
        while (true) {
            Thread.sleep(10_000);
            System.out.println("requests " + requests.sum() + (stalls == null ? "" : ", " + stalls.describe().strip()
                    .replace('\n', ',')));
        }
    }

    /** The stalling listener: headers promising a body, then silence for as long as the client waits. */
    static final class Stalls {
        private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        private static final int MAX_REQUEST_HEAD = 16 * 1024;

        private final ServerSocket server;
        private final AtomicInteger held = new AtomicInteger();
        private final LongAdder opened = new LongAdder();

        private Stalls(ServerSocket server) {
            this.server = server;
        }

        static Stalls listen(int port) throws IOException {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            Stalls stalls = new Stalls(server);
            Thread.ofPlatform().daemon().name("stall-accept").start(stalls::accept);
            return stalls;
        }

        int port() {
            return server.getLocalPort();
        }

        String describe() {
            return "stalls_held " + held.get() + "\nstalls_opened " + opened.sum() + "\n";
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> stall(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void stall(Socket socket) {
            try (socket) {
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                if (!readRequestHead(in)) {
                    return;
                }
                socket.getOutputStream().write(HEAD);
                socket.getOutputStream().flush();
                socket.setSoTimeout(0);
                opened.increment();
                held.incrementAndGet();
                try {
                    // Whatever the client sends now is read and dropped; -1 (or a reset) means it let go.
                    while (in.read() != -1) {
                        // keep holding
                    }
                } finally {
                    held.decrementAndGet();
                }
            } catch (IOException ignored) {
                // the client closed or reset: that ends the stall
            }
        }

        /** Reads up to the blank line that ends the request head; false if the client left first. */
        private static boolean readRequestHead(InputStream in) throws IOException {
            int matched = 0;
            for (int read = 0; read < MAX_REQUEST_HEAD; read++) {
                int b = in.read();
                if (b == -1) {
                    return false;
                }
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    return true;
                }
            }
            return false;
        }
    }
}
