package io.tally.collectors.health;

import io.tally.collectors.core.http.BoundedExchange;
import io.tally.collectors.core.http.Deadline;
import io.tally.collectors.core.target.RedactedUrl;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * {@code tcp://host:port}: healthy when a TCP connection opens within the probe's deadline, name
 * resolution included.
 */
final class TcpProbe {

    /** {@code address} is the host's address when the prober resolved it already (deny-list), else null. */
    ProbeResult probe(RedactedUrl url, InetAddress address, Deadline deadline) throws InterruptedException {
        try {
            InetAddress target = address != null ? address : ProbeResolver.resolve(url.host(), deadline)[0];
            long left = deadline.remaining().toMillis();
            if (left <= 0) {
                return ProbeResult.failed(deadline.elapsedSeconds(), "timeout",
                        "no connection within " + deadline.budget().toMillis() + " ms", null);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(target, url.port()), (int) Math.min(Integer.MAX_VALUE, left));
            }
            return ProbeResult.ok(deadline.elapsedSeconds(), null);
        } catch (ProbeResolver.Unresolved e) {
            return ProbeResult.failed(deadline.elapsedSeconds(), e.errorClass, e.getMessage(), null);
        } catch (IOException e) {
            return ProbeResult.failed(deadline.elapsedSeconds(), BoundedExchange.kindOf(e),
                    url.scrub(e.getClass().getSimpleName() + " " + e.getMessage()), null);
        }
    }
}
