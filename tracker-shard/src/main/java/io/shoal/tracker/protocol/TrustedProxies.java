package io.shoal.tracker.protocol;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks whose HTTP requests may name their client in {@code X-Forwarded-For} (the ingress tier, a load
 * balancer). Built from CIDR text ({@code 10.0.0.0/8}, {@code fd00::/8}, a bare address for one host), validated
 * up front so that a typo stops the process at start instead of silently trusting nobody or everybody. Address
 * literals only: a host name would need DNS, and trust must not change when DNS does.
 *
 * <p>IPv4-mapped IPv6 networks ({@code ::ffff:10.0.0.0/104}) are kept as their IPv4 network, as peers are.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), new byte[0][], new int[0]);
    /** A trust list is a handful of networks; this bounds a runaway environment variable. */
    public static final int MAX_NETWORKS = 1024;

    private final List<String> cidrs;
    /** Normalised network addresses (4 or 16 bytes), host bits zero. */
    private final byte[][] networks;
    private final int[] prefixes;

    private TrustedProxies(List<String> cidrs, byte[][] networks, int[] prefixes) {
        this.cidrs = cidrs;
        this.networks = networks;
        this.prefixes = prefixes;
    }

    /**
     * Parses CIDRs; each element may itself be a comma-separated list (as an environment variable gives them).
     * Blank elements are ignored.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static TrustedProxies parse(List<String> values) {
        List<String> texts = new ArrayList<>();
        List<byte[]> nets = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                String cidr = part.strip();
                if (cidr.isEmpty()) {
                    continue;
                }
                if (texts.size() == MAX_NETWORKS) {
                    throw new IllegalArgumentException("more than " + MAX_NETWORKS + " trusted proxy networks");
                }
                int slash = cidr.indexOf('/');
                String addressText = slash < 0 ? cidr : cidr.substring(0, slash);
                byte[] address = NetUtil.createByteArrayFromIpAddressString(addressText);
                if (address == null || addressText.indexOf('%') >= 0 || addressText.indexOf('[') >= 0) {
                    throw new IllegalArgumentException("trusted proxy '" + cidr + "' is not an IP address or CIDR");
                }
                int bits = address.length * 8;
                int prefix = slash < 0 ? bits : prefixOf(cidr, cidr.substring(slash + 1), bits);
                byte[] normalised = PeerAddresses.normalise(address);
                if (normalised.length == 4 && address.length == 16) {
                    if (prefix < 96) {
                        throw new IllegalArgumentException("trusted proxy '" + cidr
                                + "' spans beyond the IPv4-mapped range; use a prefix of /96 or longer");
                    }
                    prefix -= 96;
                }
                if (!hostBitsZero(normalised, prefix)) {
                    throw new IllegalArgumentException("trusted proxy '" + cidr + "' has bits set beyond its /"
                            + (slash < 0 ? bits : cidr.substring(slash + 1)) + " prefix");
                }
                texts.add(cidr);
                nets.add(normalised);
                lengths.add(prefix);
            }
        }
        if (texts.isEmpty()) {
            return NONE;
        }
        int[] prefixes = new int[lengths.size()];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = lengths.get(i);
        }
        return new TrustedProxies(List.copyOf(texts), nets.toArray(new byte[0][]), prefixes);
    }

    /** Whether {@code ip} (normalised: 4 bytes for IPv4 and IPv4-mapped, else 16) is inside a trusted network. */
    public boolean contains(byte[] ip) {
        for (int i = 0; i < networks.length; i++) {
            byte[] net = networks[i];
            if (net.length == ip.length && matches(net, ip, prefixes[i])) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return networks.length == 0;
    }

    /** The networks as given. */
    public List<String> cidrs() {
        return cidrs;
    }

    @Override
    public String toString() {
        return cidrs.isEmpty() ? "none" : String.join(",", cidrs);
    }

    private static int prefixOf(String cidr, String text, int bits) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("trusted proxy '" + cidr + "' has a bad prefix length");
        }
        int prefix = Integer.parseInt(text);
        if (prefix > bits) {
            throw new IllegalArgumentException("trusted proxy '" + cidr + "' has a prefix longer than " + bits);
        }
        return prefix;
    }

    private static boolean matches(byte[] net, byte[] ip, int prefix) {
        int full = prefix >>> 3;
        for (int i = 0; i < full; i++) {
            if (net[i] != ip[i]) {
                return false;
            }
        }
        int rest = prefix & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (net[full] & mask) == (ip[full] & mask);
    }

    private static boolean hostBitsZero(byte[] net, int prefix) {
        for (int bit = prefix; bit < net.length * 8; bit++) {
            if ((net[bit >>> 3] & (0x80 >>> (bit & 7))) != 0) {
                return false;
            }
        }
        return true;
    }
}
