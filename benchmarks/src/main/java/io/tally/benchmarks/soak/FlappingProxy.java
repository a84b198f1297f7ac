package io.tally.benchmarks.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder in front of a real broker (the queue tests' {@code TcpProxy}, for a
 * process of its own): {@link #cut()} closes the listening port and every forwarded connection, so
 * the broker is gone as far as the client can tell (new connections are refused);
 * {@link #restore()} listens again on the same port.
 */
final class FlappingProxy implements AutoCloseable {
    private final int upstreamPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Long> accepted = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    FlappingProxy(int port, int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        if (port == 0) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
        }
        this.port = port;
        restore();
    }

    int port() {
        return port;
    }

    /** When each client connection was accepted (epoch ms): when the client reconnected after a restore. */
    List<Long> acceptedAt() {
        return List.copyOf(accepted);
    }

    synchronized boolean isUp() {
        return server != null;
    }

    synchronized void restore() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server = listening;
        Thread.ofVirtual().name("proxy-accept").start(() -> accept(listening));
    }

    synchronized void cut() throws IOException {
        if (server == null) {
            return;
        }
        server.close();
        server = null;
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return;
            }
            accepted.add(System.currentTimeMillis());
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                register(listening, client, upstream);
            } catch (IOException e) {
                // the broker itself is not there: the client sees its connection closed
                closeQuietly(client);
            }
        }
    }

    /** Forwards a pair unless a cut came between accept and now (then both are closed). */
    private synchronized void register(ServerSocket listening, Socket client, Socket upstream) {
        if (server != listening) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().name("proxy-pump").start(() -> pump(client, upstream));
        Thread.ofVirtual().name("proxy-pump").start(() -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
