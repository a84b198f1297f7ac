package io.tally.collectors.health;

import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.http.BoundedExchange;
import io.tally.collectors.core.http.Deadline;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * {@code tcp://host:port}: healthy when a TCP connection opens within the probe's deadline, name
 * resolution included.
 */
final class TcpProbe {

    private final ProbeNetworks networks;

    TcpProbe(ProbeNetworks networks) {
        this.networks = networks;
    }

    /** Resolves once, refuses denied networks, and connects to the first address left. */
    ProbeResult probe(RedactedUrl url, Deadline deadline) throws InterruptedException {
        try {
            InetAddress target = networks.permitted(ProbeResolver.resolve(url.host(), deadline)).get(0);
            long left = deadline.remaining().toMillis();
            if (left <= 0) {
                return ProbeResult.failed(deadline.elapsedSeconds(), "timeout",
                        "no connection within " + deadline.budget().toMillis() + " ms", null);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(target, url.port()), (int) Math.min(Integer.MAX_VALUE, left));
            }
            return ProbeResult.ok(deadline.elapsedSeconds(), null);
        } catch (ProbeNetworks.Denied e) {
            return ProbeResult.failed(deadline.elapsedSeconds(), "denied", e.getMessage(), null);
        } catch (ProbeResolver.Unresolved e) {
            return ProbeResult.failed(deadline.elapsedSeconds(), e.errorClass, e.getMessage(), null);
        } catch (IOException e) {
            return ProbeResult.failed(deadline.elapsedSeconds(), BoundedExchange.kindOf(e),
                    url.scrub(e.getClass().getSimpleName() + " " + e.getMessage()), null);
        }
    }
}
