package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.AnnounceResult;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One announce's part of the announce script's reply, filled as Lettuce decodes it: a packed header (see
 * {@link #HEADER_SIZE}), then, only when the script picked the peers (peer ids wanted), four strings.
 */
final class AnnounceReply {
    static final int OK = 0;
    static final int PEER_LIMIT = 1;
    static final int TORRENT_LIMIT = 2;
    /**
     * The header, little endian: status (1 byte), seeders, leechers (int32), downloaded (double), peersDelta,
     * torrentsDelta, ownCount (int32), kept (1 byte), as announce.lua packs it.
     */
    static final int HEADER_SIZE = 30;
    /** Elements after the header when the script picked peers: own peers, other peers, own ids, other ids. */
    private static final int PICKED = 4;

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

    private final int elements;
    private int position;
    /** Never thrown from decoding (that would upset the connection's decoder): checked by {@link #complete()}. */
    private boolean malformed;

    /** @param picked whether the script picks this announce's peers (then four strings follow the header) */
    AnnounceReply(boolean picked) {
        this.elements = picked ? 1 + PICKED : 1;
    }

    /** Elements of this announce's part of the reply. */
    int elements() {
        return elements;
    }

    void integer(long value) {
        position++;
        malformed = true;
    }

    void bytes(ByteBuffer buffer) {
        int at = position++;
        if (at == 0) {
            header(buffer);
            return;
        }
        byte[] data = AnnounceResult.NONE;
        if (buffer != null && buffer.hasRemaining()) {
            data = new byte[buffer.remaining()];
            buffer.get(data);
        }
        switch (at) {
            case 1 -> ownPeers = data;
            case 2 -> otherPeers = data;
            case 3 -> ownIds = data;
            case 4 -> otherIds = data;
            default -> malformed = true;
        }
    }

    private void header(ByteBuffer buffer) {
        if (buffer == null || buffer.remaining() != HEADER_SIZE) {
            malformed = true;
            return;
        }
        ByteBuffer b = buffer.order(ByteOrder.LITTLE_ENDIAN);
        status = b.get();
        seeders = b.getInt();
        leechers = b.getInt();
        downloaded = (long) b.getDouble();
        peersDelta = b.getInt();
        torrentsDelta = b.getInt();
        ownCount = b.getInt();
        kept = b.get() != 0;
    }

    boolean complete() {
        return !malformed && position == elements;
    }
}
