package io.tally.collectors.queue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker process of the test's own, on a free loopback port, that the test may kill and start
 * again on the same port. The machine's shared brokers are never restarted: others test against them.
 */
final class PrivateBroker implements AutoCloseable {
    private final List<String> command;
    private final int port;
    private final Path log;
    private Process process;

    private PrivateBroker(List<String> command, int port, Path log) {
        this.command = command;
        this.port = port;
        this.log = log;
    }

    /** {@code redis-server} without persistence: a restart loses every key. */
    static PrivateBroker redis(Path dir) throws IOException {
        int port = freePort();
        return new PrivateBroker(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()), port, dir.resolve("redis.log"));
    }

    /** {@code nats-server} with JetStream storing under {@code dir}: file-stored streams survive a restart. */
    static PrivateBroker nats(Path dir) throws IOException {
        int port = freePort();
        return new PrivateBroker(List.of("/usr/sbin/nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port),
                "-js", "-sd", dir.toString()), port, dir.resolve("nats.log"));
    }

    int port() {
        return port;
    }

    /** Starts the process and waits (at most 10 s) until its port accepts connections. */
    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(command.get(0) + " did not listen on " + port + " within 10 s");
    }

    /** SIGKILL, as a crash: no goodbye to clients. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(command.get(0) + " (pid " + process.pid() + ") survived SIGKILL");
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
