package io.shoal.tracker.protocol;

/** Protocol-neutral announce as decoded from HTTP or UDP. */
public record AnnounceRequest(
        byte[] infoHash,
        byte[] peerId,
        int port,
        long uploaded,
        long downloaded,
        long left,
        AnnounceEvent event,
        int numwant,
        boolean compact,
        boolean noPeerId,
        long key) {
}
