package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.StoreStats;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the store knows of its totals: the last full walk, plus the changes its own announces reported since that
 * walk ended. The walk is the truth for {@code stats()}; the running estimate is what the torrent and peer
 * limits are checked against, so that limits hold between walks without a global counter in Redis (which could
 * not stay exact anyway: idle torrents leave by key expiry, which reports nothing). Other stores sharing the
 * Redis are seen at the next walk. Torrents kept peerless for their download count are not in the stats but hold
 * places under the torrent limit, so the torrent estimate counts them.
 */
final class StoreTotals {

    private final LongAdder peerChanges = new LongAdder();
    private final LongAdder torrentChanges = new LongAdder();
    private volatile Base base = new Base(StoreStats.EMPTY, 0, new Mark(0, 0));

    /** The change counters at one moment (taken when a walk ends). */
    record Mark(long peerChanges, long torrentChanges) {
    }

    private record Base(StoreStats walked, long kept, Mark mark) {
    }

    void record(int peersDelta, int torrentsDelta) {
        if (peersDelta != 0) {
            peerChanges.add(peersDelta);
        }
        if (torrentsDelta != 0) {
            torrentChanges.add(torrentsDelta);
        }
    }

    Mark mark() {
        return new Mark(peerChanges.sum(), torrentChanges.sum());
    }

    /** A walk found {@code walked} and {@code kept} peerless torrents; changes after {@code mark} count on top. */
    void walked(Mark mark, StoreStats walked, long kept) {
        base = new Base(walked, kept, mark);
    }

    StoreStats lastWalk() {
        return base.walked();
    }

    long estimatedPeers() {
        Base b = base;
        return Math.max(0, b.walked().peers() + peerChanges.sum() - b.mark().peerChanges());
    }

    long estimatedTorrents() {
        Base b = base;
        return Math.max(0, b.walked().torrents() + b.kept() + torrentChanges.sum() - b.mark().torrentChanges());
    }
}
