package io.shoal.tracker.loadgen;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Checks one reply against the request it answers. Reads the buffer with absolute gets from 0 to its limit and
 * never moves its position. Beyond the sizes BEP 15 fixes, it checks what a correct tracker must guarantee for this
 * workload: counts that fit the swarm, no peer twice, never the announcer itself, and (when strict) only peers that
 * really are members of the announced swarm, at the loopback address the load comes from.
 */
final class ReplyValidator {
    static final int HEADER_LENGTH = 8;
    static final int ANNOUNCE_HEADER_LENGTH = 20;
    static final int SCRAPE_ENTRY_LENGTH = 12;
    static final int CONNECT_REPLY_LENGTH = 16;

    private final Workload workload;
    private final byte[] selfIp;
    private final int peerLength;
    private final boolean allowSelfPeer;
    private final boolean strictPeers;
    private long[] peerKeys = new long[256];
    private long selfPeersSeen;
    private long peersSeen;

    /**
     * @param selfIp        the address the tracker sees the load coming from (4 bytes for IPv4, 16 for IPv6);
     *                      its length decides the compact peer size (6 or 18 bytes)
     * @param allowSelfPeer count the announcer in its own peer list instead of calling it invalid (opentracker
     *                      returns the announcer to itself)
     * @param strictPeers   require every returned peer to be a simulated member of the swarm and counts to fit
     */
    ReplyValidator(Workload workload, byte[] selfIp, boolean allowSelfPeer, boolean strictPeers) {
        if (selfIp.length != 4 && selfIp.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes");
        }
        this.workload = workload;
        this.selfIp = selfIp.clone();
        this.peerLength = selfIp.length + 2;
        this.allowSelfPeer = allowSelfPeer;
        this.strictPeers = strictPeers;
    }

    long selfPeersSeen() {
        return selfPeersSeen;
    }

    long peersSeen() {
        return peersSeen;
    }

    /** Error replies are checked first: any request may be answered with action 3. */
    static boolean isErrorReply(ByteBuffer reply) {
        return reply.limit() >= HEADER_LENGTH && reply.getInt(0) == Bep15Requests.ACTION_ERROR;
    }

    Verdict connect(ByteBuffer reply) {
        Verdict header = header(reply, Bep15Requests.ACTION_CONNECT);
        if (header != null) {
            return header;
        }
        return reply.limit() == CONNECT_REPLY_LENGTH ? Verdict.OK : Verdict.BAD_LENGTH;
    }

    /** The checks every reply shares: long enough for a header, not an error reply, the action asked for. */
    private static Verdict header(ByteBuffer reply, int action) {
        if (reply.limit() < HEADER_LENGTH) {
            return Verdict.TOO_SHORT;
        }
        if (isErrorReply(reply)) {
            return Verdict.TRACKER_ERROR;
        }
        if (reply.getInt(0) != action) {
            return Verdict.WRONG_ACTION;
        }
        return null;
    }

    static long connectionId(ByteBuffer reply) {
        return reply.getLong(HEADER_LENGTH);
    }

    Verdict announce(ByteBuffer reply, int client, int torrent, int numwant) {
        Verdict header = header(reply, Bep15Requests.ACTION_ANNOUNCE);
        if (header != null) {
            return header;
        }
        int length = reply.limit();
        if (length < ANNOUNCE_HEADER_LENGTH || (length - ANNOUNCE_HEADER_LENGTH) % peerLength != 0) {
            return Verdict.BAD_LENGTH;
        }
        int peers = (length - ANNOUNCE_HEADER_LENGTH) / peerLength;
        if (peers > numwant) {
            return Verdict.TOO_MANY_PEERS;
        }
        int interval = reply.getInt(8);
        int leechers = reply.getInt(12);
        int seeders = reply.getInt(16);
        if (interval <= 0) {
            return Verdict.BAD_INTERVAL;
        }
        if (leechers < 0 || seeders < 0) {
            return Verdict.NEGATIVE_COUNT;
        }
        long swarm = (long) leechers + seeders;
        if (peers > swarm || strictPeers && swarm > workload.swarmSize(torrent)) {
            return Verdict.IMPLAUSIBLE_COUNT;
        }
        return peers(reply, ANNOUNCE_HEADER_LENGTH, peers, client, torrent);
    }

    /**
     * Checks {@code peers} compact entries starting at {@code start}: never the announcer (unless allowed), no
     * duplicate, and (when strict) only members of the swarm. Shared by the UDP and the HTTP (compact) replies.
     */
    Verdict peers(ByteBuffer reply, int start, int peers, int client, int torrent) {
        if (peers > peerKeys.length) {
            peerKeys = new long[peers];
        }
        int selfPort = workload.portOf(client);
        int selfSeen = 0;
        for (int i = 0; i < peers; i++) {
            int off = start + i * peerLength;
            boolean ours = sameIp(reply, off);
            int port = reply.getShort(off + selfIp.length) & 0xFFFF;
            if (ours && port == selfPort) {
                if (!allowSelfPeer) {
                    return Verdict.SELF_PEER;
                }
                selfSeen++;
            }
            if (strictPeers && (!ours || !workload.isMember(torrent, workload.clientOfPort(port)))) {
                return Verdict.FOREIGN_PEER;
            }
            peerKeys[i] = peerKey(reply, off, port);
        }
        if (hasDuplicate(peerKeys, peers)) {
            return Verdict.DUPLICATE_PEER;
        }
        selfPeersSeen += selfSeen;
        peersSeen += peers;
        return Verdict.OK;
    }

    int peerLength() {
        return peerLength;
    }

    /** Whether a swarm's reported size fits what the workload put in it. */
    boolean plausibleSwarm(int torrent, long seeders, long leechers) {
        return seeders >= 0 && leechers >= 0 && (!strictPeers || seeders + leechers <= workload.swarmSize(torrent));
    }

    Verdict scrape(ByteBuffer reply, int[] torrents, int count) {
        Verdict header = header(reply, Bep15Requests.ACTION_SCRAPE);
        if (header != null) {
            return header;
        }
        int length = reply.limit();
        if (length != HEADER_LENGTH + SCRAPE_ENTRY_LENGTH * count) {
            return Verdict.BAD_LENGTH;
        }
        for (int i = 0; i < count; i++) {
            int off = HEADER_LENGTH + i * SCRAPE_ENTRY_LENGTH;
            int seeders = reply.getInt(off);
            int completed = reply.getInt(off + 4);
            int leechers = reply.getInt(off + 8);
            if (seeders < 0 || completed < 0 || leechers < 0) {
                return Verdict.NEGATIVE_COUNT;
            }
            if (strictPeers && (long) seeders + leechers > workload.swarmSize(torrents[i])) {
                return Verdict.IMPLAUSIBLE_COUNT;
            }
        }
        return Verdict.OK;
    }

    /** The message of an error reply, for the summary (only called for the first few). */
    static String errorMessage(ByteBuffer reply) {
        int length = Math.min(reply.limit() - HEADER_LENGTH, 200);
        StringBuilder text = new StringBuilder(Math.max(length, 0));
        for (int i = 0; i < length; i++) {
            int b = reply.get(HEADER_LENGTH + i) & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? (char) b : '?');
        }
        return text.toString();
    }

    private boolean sameIp(ByteBuffer reply, int off) {
        for (int i = 0; i < selfIp.length; i++) {
            if (reply.get(off + i) != selfIp[i]) {
                return false;
            }
        }
        return true;
    }

    /** Exact for IPv4; for IPv6 a 32-bit fold of the address, so a false duplicate is vanishingly unlikely. */
    private long peerKey(ByteBuffer reply, int off, int port) {
        long ip;
        if (selfIp.length == 4) {
            ip = reply.getInt(off) & 0xFFFF_FFFFL;
        } else {
            ip = (reply.getLong(off) * 0x9E3779B97F4A7C15L ^ reply.getLong(off + 8)) & 0xFFFF_FFFFL;
        }
        return ip << 16 | port;
    }

    private static boolean hasDuplicate(long[] keys, int count) {
        if (count < 2) {
            return false;
        }
        Arrays.sort(keys, 0, count);
        for (int i = 1; i < count; i++) {
            if (keys[i] == keys[i - 1]) {
                return true;
            }
        }
        return false;
    }
}
