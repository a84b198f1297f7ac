package io.tally.collectors.health;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The probe client's only name resolution: it resolves once, drops the addresses
 * {@link ProbeNetworks} refuses, and hands the client the rest to connect to. The check is made on
 * the very addresses the connection uses, so a name that answers differently a moment later (DNS
 * rebinding) cannot slip past it; the request still carries the name in its Host header and TLS
 * SNI, and the certificate is checked against the name. Lookups block, so each runs on a virtual
 * thread; the request's own total timeout bounds how long the probe waits for it.
 */
final class GuardedResolver implements SocketAddressResolver {
    private final ProbeNetworks networks;

    GuardedResolver(ProbeNetworks networks) {
        this.networks = networks;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        Thread.ofVirtual().name("tally-probe-resolve").start(() -> {
            try {
                List<InetAddress> allowed = networks.permitted(InetAddress.getAllByName(host));
                List<InetSocketAddress> out = new ArrayList<>(allowed.size());
                for (InetAddress address : allowed) {
                    out.add(new InetSocketAddress(address, port));
                }
                promise.succeeded(out);
            } catch (ProbeNetworks.Denied e) {
                promise.failed(e);
            } catch (UnknownHostException e) {
                promise.failed(e);
            } catch (RuntimeException e) {
                promise.failed(e);
            }
        });
    }
}
