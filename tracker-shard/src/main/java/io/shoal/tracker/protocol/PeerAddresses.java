package io.shoal.tracker.protocol;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Peer address forms: IPv4-mapped IPv6 becomes plain IPv4 (one identity per peer), and text for dictionary replies. */
public final class PeerAddresses {
    private PeerAddresses() {
    }

    /** 4 bytes for IPv4 and IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}), else 16 bytes. */
    public static byte[] normalise(InetAddress a) {
        byte[] raw = a.getAddress();
        return a instanceof Inet6Address ? normalise(raw) : raw;
    }

    /** Same for raw bytes: a 16-byte IPv4-mapped address becomes its 4 IPv4 bytes; anything else is returned as is. */
    public static byte[] normalise(byte[] ip) {
        if (ip.length != 16 || !isIpv4Mapped(ip)) {
            return ip;
        }
        return new byte[] {ip[12], ip[13], ip[14], ip[15]};
    }

    private static boolean isIpv4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    /** Dotted quad for 4 bytes; RFC 5952 text (lower case, longest zero run compressed) for 16 bytes. */
    public static String toText(byte[] ip) {
        if (ip.length == 4) {
            return (ip[0] & 0xFF) + "." + (ip[1] & 0xFF) + "." + (ip[2] & 0xFF) + "." + (ip[3] & 0xFF);
        }
        if (ip.length == 16) {
            return NetUtil.bytesToIpAddress(ip);
        }
        throw new IllegalArgumentException("address must be 4 or 16 bytes");
    }
}
