package io.shoal.tracker.loadgen;

import java.nio.ByteBuffer;

/**
 * The client side of BEP 15: encodes the three requests a UDP tracker client sends. Written independently of
 * the server's codecs on purpose, so that the load generator checks the server rather than agreeing with it.
 * Every method writes from the buffer's position and leaves it flipped, ready to send.
 */
final class Bep15Requests {
    static final long PROTOCOL_MAGIC = 0x41727101980L;
    static final int ACTION_CONNECT = 0;
    static final int ACTION_ANNOUNCE = 1;
    static final int ACTION_SCRAPE = 2;
    static final int ACTION_ERROR = 3;

    static final int CONNECT_LENGTH = 16;
    static final int ANNOUNCE_LENGTH = 98;
    static final int SCRAPE_HEADER_LENGTH = 16;
    static final int HASH_LENGTH = 20;
    /** What fits in one datagram under a 1500-byte MTU (BEP 15). */
    static final int MAX_SCRAPE_HASHES = 74;

    private Bep15Requests() {
    }

    static void connect(ByteBuffer out, int transactionId) {
        out.clear();
        out.putLong(PROTOCOL_MAGIC).putInt(ACTION_CONNECT).putInt(transactionId);
        out.flip();
    }

    /** The wire values of BEP 15 events: none 0, completed 1, started 2, stopped 3. */
    static void announce(ByteBuffer out, long connectionId, int transactionId, byte[] infoHashes, int hashIndex,
                         byte[] peerId, long downloaded, long left, long uploaded, int event, int key,
                         int numwant, int port) {
        out.clear();
        out.putLong(connectionId).putInt(ACTION_ANNOUNCE).putInt(transactionId);
        out.put(infoHashes, hashIndex * HASH_LENGTH, HASH_LENGTH);
        out.put(peerId, 0, HASH_LENGTH);
        out.putLong(downloaded).putLong(left).putLong(uploaded);
        out.putInt(event).putInt(0).putInt(key).putInt(numwant).putShort((short) port);
        out.flip();
    }

    static void scrape(ByteBuffer out, long connectionId, int transactionId, byte[] infoHashes, int[] hashIndexes,
                       int count) {
        if (count < 1 || count > MAX_SCRAPE_HASHES) {
            throw new IllegalArgumentException("scrape needs 1.." + MAX_SCRAPE_HASHES + " hashes, got " + count);
        }
        out.clear();
        out.putLong(connectionId).putInt(ACTION_SCRAPE).putInt(transactionId);
        for (int i = 0; i < count; i++) {
            out.put(infoHashes, hashIndexes[i] * HASH_LENGTH, HASH_LENGTH);
        }
        out.flip();
    }
}
