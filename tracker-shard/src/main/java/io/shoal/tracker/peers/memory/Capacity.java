package io.shoal.tracker.peers.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The store-wide limits on torrents and peers. A new torrent or peer reserves its place before it is added,
 * so concurrent announces on different stripes can never overshoot a limit.
 */
final class Capacity {
    private final long maxTorrents;
    private final long maxPeers;
    private final AtomicLong torrents = new AtomicLong();
    private final AtomicLong peers = new AtomicLong();
    /** Peerless torrents kept for their download count (included in {@link #torrents}). */
    private final AtomicLong retained = new AtomicLong();

    Capacity(long maxTorrents, long maxPeers) {
        this.maxTorrents = maxTorrents;
        this.maxPeers = maxPeers;
    }

    boolean reserveTorrent() {
        return reserve(torrents, maxTorrents);
    }

    boolean reservePeer() {
        return reserve(peers, maxPeers);
    }

    void releaseTorrents(long n) {
        if (n != 0) {
            torrents.addAndGet(-n);
        }
    }

    void releasePeers(long n) {
        if (n != 0) {
            peers.addAndGet(-n);
        }
    }

    void retainedChanged(int delta) {
        retained.addAndGet(delta);
    }

    long retained() {
        return retained.get();
    }

    long maxTorrents() {
        return maxTorrents;
    }

    long maxPeers() {
        return maxPeers;
    }

    long torrents() {
        return torrents.get();
    }

    long peers() {
        return peers.get();
    }

    void reset() {
        torrents.set(0);
        peers.set(0);
        retained.set(0);
    }

    private static boolean reserve(AtomicLong count, long max) {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return false;
        }
        return true;
    }
}
