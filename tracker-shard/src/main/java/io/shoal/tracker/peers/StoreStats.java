package io.shoal.tracker.peers;

/** Totals over a whole store's torrents with peers (peerless ones kept for their download count are not counted). Peers = seeders + leechers. */
public record StoreStats(long torrents, long peers, long seeders, long leechers) {
    public static final StoreStats EMPTY = new StoreStats(0, 0, 0, 0);
}
