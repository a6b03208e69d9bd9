package io.shoal.tracker.peers;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a shard keeps its swarms. Every implementation obeys the same contract (one test suite runs
 * against all of them):
 * <ul>
 *   <li>peer identity is (IP, port); announcing again refreshes the peer and updates its seeder flag and id;</li>
 *   <li>a peer never receives itself; peers are picked at random, at most {@code numwant};</li>
 *   <li>{@code STOPPED} removes the peer and returns no peers;</li>
 *   <li>{@code COMPLETED} counts one download when the peer was not already a seeder;</li>
 *   <li>peers expire {@code peerTtl} after their last announce; a torrent with no peers disappears
 *       (its download count may be kept while the store can afford it);</li>
 *   <li>counts in the result include the announcer after the announce was applied.</li>
 * </ul>
 * Failures complete the stage exceptionally with {@link PeerStoreException}; they never hang
 * longer than the store's own time bound.
 */
public interface PeerStore extends AutoCloseable {

    CompletionStage<AnnounceResult> announce(PeerAnnounce announce);

    /** Counts for each hash, in order; unknown torrents give {@link SwarmCounts#EMPTY}. */
    CompletionStage<List<SwarmCounts>> scrape(List<byte[]> infoHashes);

    /**
     * Walks every torrent that has peers. The visitor is called sequentially; the stage completes after
     * the last call. Implementations bound the cost of one walk so that it never stalls request handling.
     */
    CompletionStage<Void> fullScrape(TorrentVisitor visitor);

    /** Totals; a store may answer from a periodically refreshed figure. */
    StoreStats stats();

    /** Whether the store can currently serve requests (the shard's readiness). */
    boolean isReady();

    /** Drops expired peers now; stores may also do this on their own schedule. */
    void expire();

    @Override
    void close();
}
