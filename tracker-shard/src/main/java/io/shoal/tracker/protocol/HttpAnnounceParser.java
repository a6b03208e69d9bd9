package io.shoal.tracker.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads a BEP 3 announce query. Strict where a mistake would corrupt the swarm (hashes, ids, port, transfer
 * numbers, event), lenient where BEP 3 clients differ in practice (absent transfer counters, unknown parameters).
 */
public final class HttpAnnounceParser {
    /**
     * The parameters an announce is read from, for {@link HttpQuery#parse(CharSequence, Set)}. {@code key} is not
     * among them: peers are identified by address and port, so a key (which clients encode as they like) must not be
     * able to fail an announce.
     */
    public static final Set<String> PARAMETERS = Set.of("info_hash", "peer_id", "port", "uploaded", "downloaded",
            "left", "event", "numwant", "compact", "no_peer_id");

    private HttpAnnounceParser() {
    }

    public static AnnounceRequest parse(HttpQuery q) {
        byte[] infoHash = null;
        byte[] peerId = null;
        byte[] port = null;
        byte[] uploaded = null;
        byte[] downloaded = null;
        byte[] left = null;
        byte[] event = null;
        byte[] numwant = null;
        byte[] compact = null;
        byte[] noPeerId = null;
        byte[] key = null;
        // One pass in query order; for everything but info_hash the first occurrence wins.
        for (int i = 0, n = q.size(); i < n; i++) {
            byte[] v = q.value(i);
            switch (q.name(i)) {
                case "info_hash" -> {
                    if (infoHash != null) {
                        throw new ProtocolException("repeated info_hash");
                    }
                    infoHash = v;
                }
                case "peer_id" -> peerId = peerId == null ? v : peerId;
                case "port" -> port = port == null ? v : port;
                case "uploaded" -> uploaded = uploaded == null ? v : uploaded;
                case "downloaded" -> downloaded = downloaded == null ? v : downloaded;
                case "left" -> left = left == null ? v : left;
                case "event" -> event = event == null ? v : event;
                case "numwant" -> numwant = numwant == null ? v : numwant;
                case "compact" -> compact = compact == null ? v : compact;
                case "no_peer_id" -> noPeerId = noPeerId == null ? v : noPeerId;
                case "key" -> key = key == null ? v : key;
                default -> {
                    // unknown parameters (ip, corrupt, supportcrypto, trackerid, ...) are ignored
                }
            }
        }
        if (infoHash == null) {
            throw new ProtocolException("missing info_hash");
        }
        if (infoHash.length != 20) {
            throw new ProtocolException("info_hash must be 20 bytes");
        }
        if (peerId == null) {
            throw new ProtocolException("missing peer_id");
        }
        if (peerId.length != 20) {
            throw new ProtocolException("peer_id must be 20 bytes");
        }
        if (port == null) {
            throw new ProtocolException("missing port");
        }
        long portValue = parseNumber(port, "invalid port");
        if (portValue < 0 || portValue > 65535) {
            throw new ProtocolException("invalid port");
        }
        AnnounceEvent ev = event == null ? AnnounceEvent.NONE
                : AnnounceEvent.fromHttpValue(new String(event, StandardCharsets.ISO_8859_1));
        if (ev == null) {
            throw new ProtocolException("unknown event");
        }
        int want = -1;
        if (numwant != null) {
            long w = parseNumber(numwant, "invalid numwant");
            want = w < 0 ? -1 : (int) Math.min(w, Integer.MAX_VALUE);
        }
        return new AnnounceRequest(
                infoHash,
                peerId,
                (int) portValue,
                uploaded == null ? 0 : parseNumber(uploaded, "invalid uploaded"),
                downloaded == null ? 0 : parseNumber(downloaded, "invalid downloaded"),
                left == null ? -1 : parseNumber(left, "invalid left"),
                ev,
                want,
                compact == null || !isFlag(compact, '0'),
                noPeerId != null && isFlag(noPeerId, '1'),
                keyValue(key));
    }

    /**
     * A signed decimal. Values beyond the long range are clamped rather than refused: clients report 64-bit unsigned
     * byte counters and the exact figure past 2^63 matters to nobody.
     */
    static long parseNumber(byte[] v, String error) {
        int i = 0;
        boolean negative = v.length > 0 && v[0] == '-';
        if (negative) {
            i = 1;
        }
        if (i == v.length) {
            throw new ProtocolException(error);
        }
        long acc = 0;
        boolean clamped = false;
        for (; i < v.length; i++) {
            int d = v[i] - '0';
            if (d < 0 || d > 9) {
                throw new ProtocolException(error);
            }
            if (!clamped) {
                if (acc > (Long.MAX_VALUE - d) / 10) {
                    clamped = true;
                } else {
                    acc = acc * 10 + d;
                }
            }
        }
        if (clamped) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -acc : acc;
    }

    private static boolean isFlag(byte[] v, char c) {
        return v.length == 1 && v[0] == c;
    }

    /**
     * Clients send the key as hex (libtorrent: 8 hex digits, the same number it sends in UDP's 32-bit key field), so
     * up to 16 hex digits are read as that number; any other non-empty value is reduced to a 64-bit FNV-1a hash.
     */
    static long keyValue(byte[] key) {
        if (key == null || key.length == 0) {
            return -1;
        }
        if (key.length <= 16) {
            long v = 0;
            int i = 0;
            for (; i < key.length; i++) {
                int d = Character.digit(key[i], 16);
                if (d < 0) {
                    break;
                }
                v = v << 4 | d;
            }
            if (i == key.length) {
                return v;
            }
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
