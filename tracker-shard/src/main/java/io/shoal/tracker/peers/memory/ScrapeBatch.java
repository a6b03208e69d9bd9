package io.shoal.tracker.peers.memory;

import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.peers.TorrentVisitor;
import java.util.ArrayList;
import java.util.List;

/** What a full scrape copied out of one stripe under its lock, to hand to the visitor after the lock is let go. */
final class ScrapeBatch {
    private final List<byte[]> infoHashes = new ArrayList<>();
    private final List<SwarmCounts> counts = new ArrayList<>();

    void add(Swarm swarm) {
        infoHashes.add(swarm.infoHash());
        counts.add(swarm.counts());
    }

    void visit(TorrentVisitor visitor) {
        for (int i = 0; i < infoHashes.size(); i++) {
            visitor.torrent(infoHashes.get(i), counts.get(i));
        }
    }

    void clear() {
        infoHashes.clear();
        counts.clear();
    }
}
