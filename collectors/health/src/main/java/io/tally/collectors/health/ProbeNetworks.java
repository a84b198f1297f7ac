package io.tally.collectors.health;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which addresses a probe may connect to. Cloud metadata endpoints, link-local networks and the
 * unspecified addresses are denied whatever the configuration says: a target URL from a target file
 * or an http_sd server must not turn the prober into a way to read instance credentials.
 * {@code health.denyNetworks} adds blocks; {@code health.allowNetworks}, when given, narrows every
 * probe to its blocks. Loopback stays allowed unless denied (the example config probes it).
 * Addresses are checked after the one resolution that the connection then uses.
 */
final class ProbeNetworks {
    /** Metadata services (AWS, GCP, Azure: 169.254.169.254; AWS IPv6: fd00:ec2::254; Alibaba), link-local, unspecified. */
    static final List<String> ALWAYS_DENIED = List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128",
            "100.100.100.200/32", "0.0.0.0/8", "::/128");

    private final NetworkBlocks alwaysDenied = NetworkBlocks.parse(ALWAYS_DENIED);
    private final NetworkBlocks denied;
    private final NetworkBlocks allowed;

    ProbeNetworks(List<String> denyNetworks, List<String> allowNetworks) {
        this.denied = NetworkBlocks.parse(denyNetworks);
        this.allowed = NetworkBlocks.parse(allowNetworks);
    }

    /** Why {@code address} may not be probed, or null when it may. */
    String refusal(InetAddress address) {
        String block = alwaysDenied.matching(address);
        if (block != null) {
            return "address " + address.getHostAddress() + " is in " + block
                    + ", denied by default (cloud metadata, link-local, unspecified)";
        }
        block = denied.matching(address);
        if (block != null) {
            return "address " + address.getHostAddress() + " is in denied network " + block;
        }
        if (!allowed.isEmpty() && allowed.matching(address) == null) {
            return "address " + address.getHostAddress() + " is outside health.allowNetworks";
        }
        return null;
    }

    /** The addresses that may be probed, in the resolver's order; {@link Denied} when none may. */
    List<InetAddress> permitted(InetAddress[] addresses) throws Denied {
        List<InetAddress> out = new ArrayList<>(addresses.length);
        String first = null;
        for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal == null) {
                out.add(address);
            } else if (first == null) {
                first = refusal;
            }
        }
        if (out.isEmpty()) {
            throw new Denied(first == null ? "no address to probe" : first);
        }
        return out;
    }

    /** No address of the target may be probed. */
    static final class Denied extends Exception {
        Denied(String message) {
            super(message, null, false, false);
        }
    }
}
