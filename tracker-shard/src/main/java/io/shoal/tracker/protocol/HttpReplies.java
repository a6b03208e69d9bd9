package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.SwarmCounts;
import java.util.Arrays;
import java.util.List;

/** Bencoded HTTP tracker answers (BEP 3, 7, 23, 31, 48), written straight into the caller's buffer. */
public final class HttpReplies {
    private static final byte[] COMPLETE = Bencode.key("complete");
    private static final byte[] DOWNLOADED = Bencode.key("downloaded");
    private static final byte[] INCOMPLETE = Bencode.key("incomplete");
    private static final byte[] INTERVAL = Bencode.key("interval");
    private static final byte[] MIN_INTERVAL = Bencode.key("min interval");
    private static final byte[] PEERS = Bencode.key("peers");
    private static final byte[] PEERS6 = Bencode.key("peers6");
    private static final byte[] WARNING = Bencode.key("warning message");
    private static final byte[] IP = Bencode.key("ip");
    private static final byte[] PEER_ID = Bencode.key("peer id");
    private static final byte[] PORT = Bencode.key("port");
    private static final byte[] FILES = Bencode.key("files");
    private static final byte[] FAILURE = Bencode.key("failure reason");
    private static final byte[] RETRY_IN = Bencode.key("retry in");

    private HttpReplies() {
    }

    /**
     * A successful announce. Compact (BEP 23/7): {@code peers} always, {@code peers6} only when non-empty. Dictionary
     * model: {@code peers} lists {ip, peer id, port} dictionaries for both families; peer ids appear when the client
     * did not ask {@code no_peer_id} and the store supplied them.
     */
    public static void announce(ByteBuf out, AnnounceResult r, int interval, int minInterval,
                                boolean compact, boolean noPeerId, String warning) {
        // Keys in sorted byte order, as bencode requires.
        Bencode.beginDict(out);
        out.writeBytes(COMPLETE);
        Bencode.writeInt(out, r.seeders());
        out.writeBytes(DOWNLOADED);
        Bencode.writeInt(out, r.downloaded());
        out.writeBytes(INCOMPLETE);
        Bencode.writeInt(out, r.leechers());
        out.writeBytes(INTERVAL);
        Bencode.writeInt(out, interval);
        out.writeBytes(MIN_INTERVAL);
        Bencode.writeInt(out, minInterval);
        out.writeBytes(PEERS);
        if (compact) {
            Bencode.writeString(out, r.peers4());
            if (r.peers6().length > 0) {
                out.writeBytes(PEERS6);
                Bencode.writeString(out, r.peers6());
            }
        } else {
            Bencode.beginList(out);
            peerDicts(out, r.peers4(), 4, noPeerId ? null : r.peerIds4());
            peerDicts(out, r.peers6(), 16, noPeerId ? null : r.peerIds6());
            Bencode.end(out);
        }
        if (warning != null) {
            out.writeBytes(WARNING);
            Bencode.writeString(out, warning);
        }
        Bencode.end(out);
    }

    private static void peerDicts(ByteBuf out, byte[] packed, int addressLength, byte[] peerIds) {
        int entry = addressLength + 2;
        int count = packed.length / entry;
        boolean ids = peerIds != null && peerIds.length >= count * 20;
        for (int i = 0; i < count; i++) {
            int off = i * entry;
            Bencode.beginDict(out);
            out.writeBytes(IP);
            Bencode.writeString(out, PeerAddresses.toText(Arrays.copyOfRange(packed, off, off + addressLength)));
            if (ids) {
                out.writeBytes(PEER_ID);
                Bencode.writeString(out, peerIds, i * 20, 20);
            }
            out.writeBytes(PORT);
            Bencode.writeInt(out, (packed[off + addressLength] & 0xFF) << 8 | (packed[off + addressLength + 1] & 0xFF));
            Bencode.end(out);
        }
    }

    /**
     * BEP 48 scrape: {@code files} maps each hash to {complete, downloaded, incomplete}. The dictionary needs its keys
     * sorted, so the hashes are written in raw byte order; a hash given twice is written once.
     */
    public static void scrape(ByteBuf out, List<byte[]> infoHashes, List<SwarmCounts> counts) {
        int n = infoHashes.size();
        if (counts.size() != n) {
            throw new IllegalArgumentException("one count per hash expected");
        }
        Bencode.beginDict(out);
        out.writeBytes(FILES);
        Bencode.beginDict(out);
        if (n == 1) {
            fileEntry(out, infoHashes.get(0), counts.get(0));
        } else if (n > 1) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            // Stable sort: among equal hashes the first one given is the one written.
            Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(infoHashes.get(a), infoHashes.get(b)));
            byte[] previous = null;
            for (int i : order) {
                byte[] h = infoHashes.get(i);
                if (previous == null || !Arrays.equals(previous, h)) {
                    fileEntry(out, h, counts.get(i));
                }
                previous = h;
            }
        }
        Bencode.end(out);
        Bencode.end(out);
    }

    static void fileEntry(ByteBuf out, byte[] hash, SwarmCounts c) {
        fileEntry(out, hash, 0, c.seeders(), c.leechers(), c.downloaded());
    }

    static void fileEntry(ByteBuf out, byte[] hashes, int off, long seeders, long leechers, long downloaded) {
        Bencode.writeString(out, hashes, off, 20);
        Bencode.beginDict(out);
        out.writeBytes(COMPLETE);
        Bencode.writeInt(out, seeders);
        out.writeBytes(DOWNLOADED);
        Bencode.writeInt(out, downloaded);
        out.writeBytes(INCOMPLETE);
        Bencode.writeInt(out, leechers);
        Bencode.end(out);
    }

    /** {@code d14:failure reason<len>:<reason>e}. */
    public static void failure(ByteBuf out, String reason) {
        failure(out, reason, 0);
    }

    /** A failure with BEP 31's {@code retry in} (minutes) when {@code retryInMinutes > 0}. */
    public static void failure(ByteBuf out, String reason, int retryInMinutes) {
        Bencode.beginDict(out);
        out.writeBytes(FAILURE);
        Bencode.writeString(out, reason);
        if (retryInMinutes > 0) {
            out.writeBytes(RETRY_IN);
            Bencode.writeInt(out, retryInMinutes);
        }
        Bencode.end(out);
    }
}
