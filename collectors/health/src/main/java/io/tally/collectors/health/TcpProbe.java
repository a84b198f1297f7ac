package io.tally.collectors.health;

import io.tally.collectors.core.target.RedactedUrl;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** {@code tcp://host:port}: healthy when a TCP connection opens within the timeout. */
final class TcpProbe {

    ProbeResult probe(RedactedUrl url, InetAddress address, ProbeSettings settings) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            InetSocketAddress endpoint = address != null ? new InetSocketAddress(address, url.port())
                    : new InetSocketAddress(url.host(), url.port());
            if (endpoint.isUnresolved()) {
                return ProbeResult.failed((System.nanoTime() - start) / 1e9, "dns", "cannot resolve " + url.host(), null);
            }
            socket.connect(endpoint, (int) Math.max(1, settings.timeout().toMillis()));
            return ProbeResult.ok((System.nanoTime() - start) / 1e9, null);
        } catch (IOException e) {
            return ProbeResult.failed((System.nanoTime() - start) / 1e9, HttpProbe.classify(e),
                    url.scrub(e.getClass().getSimpleName() + " " + e.getMessage()), null);
        }
    }
}
