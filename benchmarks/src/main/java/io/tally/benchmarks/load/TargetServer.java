package io.tally.benchmarks.load;

import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loopback HTTP server answering 200 to everything, run in its own JVM so that the process under
 * measurement pays only for its own side. Usage: {@code TargetServer <port>}; prints the request
 * count every 10 s.
 */
public final class TargetServer {
    private TargetServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        LongAdder requests = new LongAdder();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.createContext("/", exchange -> {
            requests.increment();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
        while (true) {
            Thread.sleep(10_000);
            System.out.println("requests " + requests.sum());
        }
    }
}
