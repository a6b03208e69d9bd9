package io.shoal.tracker.protocol;

import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import java.util.List;

/**
 * Finds the client of a request that arrived through trusted proxies, from its {@code X-Forwarded-For} header(s).
 * Each proxy appends the address it received the request from, so the list reads left to right from the client to
 * the last proxy, and only the entries appended by trusted proxies can be believed. The client is therefore the
 * right-most entry that is not itself trusted (anything left of it was written by that client and is ignored); when
 * every entry is trusted it is the left-most one; with no entries at all it is the TCP peer.
 *
 * <p>Entries are addresses, optionally with a port ({@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1},
 * {@code [2001:db8::1]:4711}); empty list elements are skipped. An entry that has to be read and is not an address
 * (for instance {@code unknown}) fails the request: it came from a proxy we trust, so it is a misconfiguration to be
 * seen, not a reason to pin the request on the proxy's own address (which would merge every client behind it into
 * one peer). The work is bounded: at most {@link #MAX_ENTRIES} elements are read, each at most
 * {@link #MAX_ENTRY_CHARS} long; the HTTP decoder already bounds the header's size.
 */
public final class ForwardedFor {
    /** The header's name, as Netty's header maps take it. */
    public static final AsciiString HEADER = AsciiString.cached("x-forwarded-for");
    /** More proxy hops than any real chain has; walking further would only serve someone padding the header. */
    public static final int MAX_ENTRIES = 16;
    /** {@code [ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535} is 53 characters. */
    public static final int MAX_ENTRY_CHARS = 64;

    static final String MALFORMED = "malformed X-Forwarded-For";
    static final String TOO_MANY = "too many X-Forwarded-For entries";

    private ForwardedFor() {
    }

    /**
     * The client's address (normalised: 4 bytes for IPv4 and IPv4-mapped IPv6, else 16).
     *
     * @param headerValues every {@code X-Forwarded-For} header of the request, in order (they form one list)
     * @param trusted      the trusted proxy networks
     * @param peer         the TCP peer, normalised; returned when the header lists nobody
     * @throws ProtocolException when an entry that must be read is malformed, or too many entries are trusted
     */
    public static byte[] client(List<String> headerValues, TrustedProxies trusted, byte[] peer) {
        byte[] leftMost = null;
        int read = 0;
        for (int h = headerValues.size() - 1; h >= 0; h--) {
            String value = headerValues.get(h);
            int end = value.length();
            while (end >= 0) {
                int comma = value.lastIndexOf(',', end - 1);
                int from = trimStart(value, comma + 1, end);
                int to = trimEnd(value, from, end);
                end = comma;
                if (from == to) {
                    continue;
                }
                if (++read > MAX_ENTRIES) {
                    throw new ProtocolException(TOO_MANY);
                }
                byte[] address = parseEntry(value, from, to);
                if (!trusted.contains(address)) {
                    return address;
                }
                leftMost = address;
            }
        }
        return leftMost != null ? leftMost : peer;
    }

    /** One entry: an address with an optional port; normalised bytes, or ProtocolException. */
    static byte[] parseEntry(String s, int from, int to) {
        if (to - from > MAX_ENTRY_CHARS) {
            throw new ProtocolException(MALFORMED);
        }
        String host;
        if (s.charAt(from) == '[') {
            int close = s.indexOf(']', from);
            if (close < 0 || close >= to || !isPortOrNothing(s, close + 1, to)) {
                throw new ProtocolException(MALFORMED);
            }
            host = s.substring(from + 1, close);
            if (host.indexOf(':') < 0) {
                throw new ProtocolException(MALFORMED);
            }
        } else {
            int colon = indexOf(s, ':', from, to);
            if (colon >= 0 && indexOf(s, ':', colon + 1, to) < 0) {
                // One colon: IPv4 with a port (an IPv6 address has at least two).
                if (!isPortOrNothing(s, colon, to) || colon == to - 1) {
                    throw new ProtocolException(MALFORMED);
                }
                host = s.substring(from, colon);
                if (!NetUtil.isValidIpV4Address(host)) {
                    throw new ProtocolException(MALFORMED);
                }
            } else {
                host = s.substring(from, to);
            }
        }
        if (host.indexOf('%') >= 0 || host.indexOf('[') >= 0) {
            throw new ProtocolException(MALFORMED);
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(host);
        if (address == null) {
            throw new ProtocolException(MALFORMED);
        }
        return PeerAddresses.normalise(address);
    }

    /** Empty, or {@code :} and 1 to 5 digits. */
    private static boolean isPortOrNothing(String s, int from, int to) {
        if (from == to) {
            return true;
        }
        if (s.charAt(from) != ':' || to - from < 2 || to - from > 6) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(String s, char c, int from, int to) {
        int i = s.indexOf(c, from);
        return i < to ? i : -1;
    }

    private static int trimStart(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
