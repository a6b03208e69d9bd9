package io.shoal.tracker.peers;

/** Scrape numbers of one torrent (BEP 48 names: complete, incomplete, downloaded). */
public record SwarmCounts(int seeders, int leechers, long downloaded) {
    public static final SwarmCounts EMPTY = new SwarmCounts(0, 0, 0);
}
