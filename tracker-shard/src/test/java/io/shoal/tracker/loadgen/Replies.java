package io.shoal.tracker.loadgen;

import java.nio.ByteBuffer;

/** Builds tracker replies byte by byte, the way a tracker would put them on the wire. */
final class Replies {
    private Replies() {
    }

    static ByteBuffer connect(int tid, long connectionId) {
        return ByteBuffer.allocate(16).putInt(0).putInt(tid).putLong(connectionId).flip();
    }

    /** peers: pairs of (ipv4 as int, port). */
    static ByteBuffer announce(int tid, int interval, int leechers, int seeders, int... peers) {
        ByteBuffer b = ByteBuffer.allocate(20 + peers.length / 2 * 6);
        b.putInt(1).putInt(tid).putInt(interval).putInt(leechers).putInt(seeders);
        for (int i = 0; i < peers.length; i += 2) {
            b.putInt(peers[i]).putShort((short) peers[i + 1]);
        }
        return b.flip();
    }

    /** counts: triples of (seeders, completed, leechers). */
    static ByteBuffer scrape(int tid, int... counts) {
        ByteBuffer b = ByteBuffer.allocate(8 + counts.length * 4);
        b.putInt(2).putInt(tid);
        for (int c : counts) {
            b.putInt(c);
        }
        return b.flip();
    }

    static ByteBuffer error(int tid, String message) {
        byte[] text = message.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(8 + text.length).putInt(3).putInt(tid).put(text).flip();
    }
}
