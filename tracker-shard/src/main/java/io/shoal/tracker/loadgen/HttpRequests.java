package io.shoal.tracker.loadgen;

import java.nio.ByteBuffer;

/**
 * The client side of HTTP tracker requests (BEP 3 announce with BEP 23 compact peers, BEP 48 scrape), written
 * into a reusable buffer without allocating. Every binary parameter is percent-escaped byte by byte, which every
 * tracker must accept. Independent of the server's parsers on purpose.
 */
final class HttpRequests {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private HttpRequests() {
    }

    /** GET /announce with the BEP 15 event numbers mapped to their HTTP names (none sends no event). */
    static void announce(ByteBuffer out, String host, byte[] infoHashes, int hashIndex, byte[] peerId, int port,
                         long left, int event, int key, int numwant, boolean keepAlive) {
        out.clear();
        ascii(out, "GET /announce?info_hash=");
        escaped(out, infoHashes, hashIndex * Bep15Requests.HASH_LENGTH, Bep15Requests.HASH_LENGTH);
        ascii(out, "&peer_id=");
        escaped(out, peerId, 0, Bep15Requests.HASH_LENGTH);
        ascii(out, "&port=");
        decimal(out, port);
        ascii(out, "&uploaded=0&downloaded=0&left=");
        decimal(out, left);
        switch (event) {
            case PeerLifecycle.STARTED -> ascii(out, "&event=started");
            case PeerLifecycle.STOPPED -> ascii(out, "&event=stopped");
            case PeerLifecycle.COMPLETED -> ascii(out, "&event=completed");
            default -> { }
        }
        ascii(out, "&numwant=");
        decimal(out, numwant);
        ascii(out, "&key=");
        hex(out, key);
        ascii(out, "&compact=1");
        tail(out, host, keepAlive);
    }

    static void scrape(ByteBuffer out, String host, byte[] infoHashes, int[] hashIndexes, int count,
                       boolean keepAlive) {
        out.clear();
        ascii(out, "GET /scrape?");
        for (int i = 0; i < count; i++) {
            ascii(out, i == 0 ? "info_hash=" : "&info_hash=");
            escaped(out, infoHashes, hashIndexes[i] * Bep15Requests.HASH_LENGTH, Bep15Requests.HASH_LENGTH);
        }
        tail(out, host, keepAlive);
    }

    private static void tail(ByteBuffer out, String host, boolean keepAlive) {
        ascii(out, " HTTP/1.1\r\nHost: ");
        ascii(out, host);
        ascii(out, keepAlive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
        out.flip();
    }

    private static void ascii(ByteBuffer out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.put((byte) s.charAt(i));
        }
    }

    private static void escaped(ByteBuffer out, byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            out.put((byte) '%').put(HEX[(bytes[i] >> 4) & 0xF]).put(HEX[bytes[i] & 0xF]);
        }
    }

    private static void hex(ByteBuffer out, int value) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            out.put(HEX[(value >>> shift) & 0xF]);
        }
    }

    private static void decimal(ByteBuffer out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        if (value >= 10) {
            decimal(out, value / 10);
        }
        out.put((byte) ('0' + value % 10));
    }
}
