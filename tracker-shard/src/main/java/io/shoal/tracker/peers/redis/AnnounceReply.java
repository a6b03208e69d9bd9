package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.AnnounceResult;

import java.nio.ByteBuffer;

/** One announce's part of the announce script's reply, filled element by element as Lettuce decodes it. */
final class AnnounceReply {
    static final int OK = 0;
    static final int PEER_LIMIT = 1;
    static final int TORRENT_LIMIT = 2;
    /** Elements of one announce's reply. */
    static final int ELEMENTS = 12;

    int status = -1;
    int seeders;
    int leechers;
    long downloaded;
    int peersDelta;
    /** Change of the torrents held: with peers, or kept peerless for their download count. */
    int torrentsDelta;
    /** The announce left the torrent peerless, kept for its download count. */
    boolean kept;
    /** Peers of the announcer's family (the rest of seeders + leechers are of the other family). */
    int ownCount;
    byte[] ownPeers = AnnounceResult.NONE;
    byte[] otherPeers = AnnounceResult.NONE;
    byte[] ownIds = AnnounceResult.NONE;
    byte[] otherIds = AnnounceResult.NONE;

    private int position;
    /** Never thrown from decoding (that would upset the connection's decoder): checked by {@link #complete()}. */
    private boolean malformed;

    void integer(long value) {
        switch (position++) {
            case 0 -> status = (int) value;
            case 1 -> seeders = (int) value;
            case 2 -> leechers = (int) value;
            case 3 -> downloaded = value;
            case 4 -> peersDelta = (int) value;
            case 5 -> torrentsDelta = (int) value;
            case 10 -> ownCount = (int) value;
            case 11 -> kept = value != 0;
            default -> malformed = true;
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
            default -> malformed = true;
        }
    }

    boolean complete() {
        return !malformed && position == ELEMENTS;
    }
}
