package io.tidings.webhook.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The address ranges a webhook may not reach: every block of the IANA IPv4 and IPv6
 * Special-Purpose Address Registries that is not globally reachable, and cloud metadata addresses
 * outside them. IPv6 forms that carry an IPv4 address to a gateway (NAT64, 6to4, IPv4-mapped) are
 * judged by the address they carry; the forms that cannot be judged that way (Teredo, whose client
 * address is obscured, IPv4-compatible, local-use NAT64) are refused with the rest of their block.
 */
final class SpecialAddresses {

    private static final List<Block> REFUSED = Arrays.stream(new String[] {
            // IPv4 (RFC 6890 and updates)
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "168.63.129.16/32", // Azure's host services (wire server, DNS, health probes)
            // IPv6
            "::/96", // unspecified, loopback and the deprecated IPv4-compatible form
            "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2620:4f:8000::/48", "3fff::/20", "5f00::/16",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8" })
            .map(Block::parse).toList();

    private SpecialAddresses() {
    }

    static boolean isInternal(InetAddress address) {
        byte[] bytes = address.getAddress();
        InetAddress carried = carriedIpv4(bytes);
        if (carried != null) {
            return isInternal(carried);
        }
        return REFUSED.stream().anyMatch(block -> block.contains(bytes));
    }

    // IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96 (RFC 6052) and 6to4 2002::/16 (RFC 3056) reach
    // the IPv4 address they carry.
    private static InetAddress carriedIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return null;
        }
        if (startsWith(bytes, new byte[10]) && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff
                || startsWith(bytes, new byte[] { 0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 })) {
            return ipv4(bytes, 12);
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x02) {
            return ipv4(bytes, 2);
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static InetAddress ipv4(byte[] bytes, int from) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, from, from + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private record Block(byte[] network, int prefixLength) {

        static Block parse(String cidr) {
            String[] parts = cidr.split("/");
            try {
                return new Block(InetAddress.getByName(parts[0]).getAddress(), Integer.parseInt(parts[1]));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("not an address literal: " + cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefixLength / 8;
            if (!Arrays.equals(address, 0, whole, network, 0, whole)) {
                return false;
            }
            int rest = prefixLength % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
        }
    }
}
