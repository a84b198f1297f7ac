package io.tally.collectors.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP forwarder in front of a real broker, which the test can cut (closing every
 * connection and the listening port) and restore on the same port: "the broker went away". It can
 * also stall: connections stay open and are still accepted, but no byte is forwarded until
 * {@link #resume()}: "the broker hangs". It counts the connections it accepted.
 */
final class TcpProxy implements AutoCloseable {
    /** Set later for a broker that must advertise the proxy's port before it has its own (Kafka). */
    private volatile int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong held = new AtomicLong();
    private final Object gate = new Object();
    private volatile boolean stalled;
    private volatile ServerSocket server;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
        restore();
    }

    int port() {
        return port;
    }

    /** Forwards connections accepted from now on to {@code port}. */
    void forwardTo(int port) {
        this.targetPort = port;
    }

    /** Client connections accepted since the proxy was made. */
    int accepted() {
        return accepted.get();
    }

    /** Client connections still open (each counted once, not with its upstream half). */
    int open() {
        int open = 0;
        for (int i = 0; i < sockets.size(); i += 2) {
            if (!sockets.get(i).isClosed()) {
                open++;
            }
        }
        return open;
    }

    /** Bytes read while stalled and not forwarded yet: a call is waiting behind the stall. */
    long held() {
        return held.get();
    }

    synchronized void restore() throws IOException {
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = listening;
        Thread.ofVirtual().start(() -> accept(listening));
    }

    synchronized void cut() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    void stall() {
        stalled = true;
    }

    void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                accepted.incrementAndGet();
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException e) {
                    // Nothing to forward to (yet): this connection fails, the proxy keeps listening.
                    client.close();
                    continue;
                }
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitResumed(n);
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException ignored) {
            // one side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private void awaitResumed(int bytes) throws InterruptedException {
        synchronized (gate) {
            if (!stalled) {
                return;
            }
            held.addAndGet(bytes);
            while (stalled) {
                gate.wait();
            }
            held.addAndGet(-bytes);
        }
    }

    @Override
    public void close() throws IOException {
        resume();
        cut();
    }
}
