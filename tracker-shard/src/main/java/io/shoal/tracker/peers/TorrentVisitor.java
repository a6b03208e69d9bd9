package io.shoal.tracker.peers;

/** Receives every torrent of a full scrape, one call at a time (never concurrently). */
@FunctionalInterface
public interface TorrentVisitor {
    void torrent(byte[] infoHash, SwarmCounts counts);
}
