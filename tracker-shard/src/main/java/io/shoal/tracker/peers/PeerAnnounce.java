package io.shoal.tracker.peers;

import io.shoal.tracker.protocol.AnnounceEvent;

/**
 * One announce as a peer store sees it, after protocol decoding and policy (numwant capping,
 * access list) have been applied.
 *
 * @param infoHash   20 bytes
 * @param ip         the peer's address: 4 bytes (IPv4, including normalised IPv4-mapped IPv6) or 16 bytes
 * @param port       1..65535 (the peer's listen port; a store never sees port 0 for a peer it keeps)
 * @param peerId     20 bytes, kept for the dictionary reply model
 * @param seeder     true when the client reported {@code left == 0}
 * @param event      the reported event
 * @param numwant    how many peers to return, already capped; 0 returns none
 * @param families   which address families to return peers of
 * @param wantPeerIds whether the caller needs each returned peer's id (non-compact HTTP replies)
 */
public record PeerAnnounce(
        byte[] infoHash,
        byte[] ip,
        int port,
        byte[] peerId,
        boolean seeder,
        AnnounceEvent event,
        int numwant,
        PeerFamilies families,
        boolean wantPeerIds) {

    public PeerAnnounce {
        if (infoHash.length != 20) {
            throw new IllegalArgumentException("info hash must be 20 bytes");
        }
        if (ip.length != 4 && ip.length != 16) {
            throw new IllegalArgumentException("ip must be 4 or 16 bytes");
        }
        if (peerId.length != 20) {
            throw new IllegalArgumentException("peer id must be 20 bytes");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        if (numwant < 0) {
            throw new IllegalArgumentException("numwant must not be negative");
        }
    }

    public boolean isIpv6() {
        return ip.length == 16;
    }
}
