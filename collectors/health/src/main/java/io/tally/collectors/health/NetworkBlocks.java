package io.tally.collectors.health;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A list of CIDR blocks, matched against resolved addresses (see {@link ProbeNetworks}). */
public final class NetworkBlocks {
    private final List<Block> blocks;

    private NetworkBlocks(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static NetworkBlocks parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            blocks.add(Block.parse(cidr));
        }
        return new NetworkBlocks(blocks);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The first block containing {@code address}, or null. */
    public String matching(InetAddress address) {
        for (Block block : blocks) {
            if (block.contains(address.getAddress())) {
                return block.text;
            }
        }
        return null;
    }

    private record Block(String text, byte[] network, int prefix) {
        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr.strip() : cidr.substring(0, slash).strip();
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("'" + cidr + "' is not a CIDR block like 10.0.0.0/8");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not a CIDR block like 10.0.0.0/8");
            }
            int prefix;
            try {
                prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has a prefix length out of range");
            }
            return new Block(cidr.strip(), network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
