package io.shoal.tracker.peers;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a shard keeps its swarms. Every implementation obeys the same contract (one test suite runs
 * against all of them):
 * <ul>
 *   <li>peer identity is (IP, port); announcing again refreshes the peer and updates its seeder flag and id;
 *       the same IP with another port is another peer;</li>
 *   <li>a peer never receives itself; peers are picked at random, {@code min(numwant, available)} of them;
 *       {@code numwant == 0} returns none;</li>
 *   <li>{@link PeerFamilies} says which lists are filled, whatever the announcer's own family; with
 *       {@code BOTH}, one {@code numwant} is shared between the two lists;</li>
 *   <li>peer ids are returned only when {@link PeerAnnounce#wantPeerIds()} (in the order of the compact
 *       entries); otherwise the id lists are null;</li>
 *   <li>{@code STOPPED} removes the peer and returns no peers; it never creates a torrent;</li>
 *   <li>{@code COMPLETED} counts one download per leecher-to-seeder transition: iff the announce makes the peer a
 *       seeder ({@code seeder == true}, i.e. {@code left == 0}) and it was not already kept as a seeder (a leecher
 *       finishing, or a peer not yet in the swarm); a seeder repeating it, or a peer still leeching, counts
 *       nothing;</li>
 *   <li>{@code PAUSED} (BEP 21) keeps and refreshes the peer like any other announce;</li>
 *   <li>port 0 means the announcer cannot be reached: it is not kept and changes nothing (no peer, no torrent,
 *       no download counted), yet it receives peers and the swarm's counts; such an announce is never refused;</li>
 *   <li>peers expire {@code peerTtl} after their last announce and are never returned once expired, even before
 *       {@link #expire()} ran;</li>
 *   <li>a torrent whose last peer left (stopped or expired) with a download count of zero disappears; with a
 *       count above zero it stays, peerless, for {@link PeerStoreConfig#downloadsRetention()} after its last peer
 *       left (a store may start counting when it notices an expiry, not before): {@link #scrape} reports {@code (0, 0, downloaded)} and an announce to it
 *       continues from that count. After the retention it disappears. A peerless torrent is not counted in
 *       {@link #stats()} (which counts torrents with peers) and not visited by {@link #fullScrape}, but it holds
 *       a place under {@code maxTorrents}: a new torrent beyond the limit evicts a peerless torrent (any one)
 *       instead of being refused, so new torrents are refused only when no peerless torrent can give way;</li>
 *   <li>counts in the result include the announcer after the announce was applied;</li>
 *   <li>limits: an announce that would add a torrent beyond {@code maxTorrents} (when no peerless torrent can give
 *       way) or a peer beyond {@code maxPeers} fails with {@link PeerStoreException.Kind#FULL} and changes nothing
 *       (it evicts no peerless torrent either); announces of peers already kept
 *       (refresh, seeder change, completed, stopped) still work when the store is full;</li>
 *   <li>time comes from {@link PeerStoreConfig#clock()}.</li>
 * </ul>
 * Failures complete the stage exceptionally with {@link PeerStoreException}; methods returning a stage never
 * throw, and the stage never hangs longer than the store's own time bound.
 */
public interface PeerStore extends AutoCloseable {

    CompletionStage<AnnounceResult> announce(PeerAnnounce announce);

    /** Counts for each hash, in order; unknown torrents give {@link SwarmCounts#EMPTY}. */
    CompletionStage<List<SwarmCounts>> scrape(List<byte[]> infoHashes);

    /**
     * Walks every torrent that has peers; peerless torrents kept for their download count are not visited. The
     * visitor is called sequentially; the stage completes after the last call. Implementations bound the cost of
     * one walk so that it never stalls request handling.
     */
    CompletionStage<Void> fullScrape(TorrentVisitor visitor);

    /** Totals over torrents with peers; a store may answer from a periodically refreshed figure. */
    StoreStats stats();

    /** Whether the store can currently serve requests (the shard's readiness). */
    boolean isReady();

    /** Drops expired peers now; stores may also do this on their own schedule. */
    void expire();

    @Override
    void close();
}
