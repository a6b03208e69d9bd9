package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.AnnounceResult;

import java.nio.ByteBuffer;

/** The announce script's reply, filled element by element as Lettuce decodes it (no intermediate list). */
final class AnnounceReply {
    static final int OK = 0;
    static final int PEER_LIMIT = 1;
    static final int TORRENT_LIMIT = 2;

    int status = -1;
    int seeders;
    int leechers;
    long downloaded;
    int peersDelta;
    int torrentsDelta;
    /** Peers of the announcer's family (the rest of seeders + leechers are of the other family). */
    int ownCount;
    byte[] ownPeers = AnnounceResult.NONE;
    byte[] otherPeers = AnnounceResult.NONE;
    byte[] ownIds = AnnounceResult.NONE;
    byte[] otherIds = AnnounceResult.NONE;

    private int position;

    void integer(long value) {
        switch (position++) {
            case 0 -> status = (int) value;
            case 1 -> seeders = (int) value;
            case 2 -> leechers = (int) value;
            case 3 -> downloaded = value;
            case 4 -> peersDelta = (int) value;
            case 5 -> torrentsDelta = (int) value;
            case 10 -> ownCount = (int) value;
            default -> throw new IllegalStateException("unexpected integer at " + (position - 1));
        }
    }

    void bytes(ByteBuffer buffer) {
        byte[] data = AnnounceResult.NONE;
        if (buffer != null && buffer.hasRemaining()) {
            data = new byte[buffer.remaining()];
            buffer.get(data);
        }
        switch (position++) {
            case 6 -> ownPeers = data;
            case 7 -> otherPeers = data;
            case 8 -> ownIds = data;
            case 9 -> otherIds = data;
            default -> throw new IllegalStateException("unexpected bulk string at " + (position - 1));
        }
    }

    boolean complete() {
        return status != OK ? position >= 6 : position == 11;
    }
}
