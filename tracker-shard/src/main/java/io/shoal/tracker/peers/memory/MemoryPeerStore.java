package io.shoal.tracker.peers.memory;

import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.PeerStoreException;
import io.shoal.tracker.peers.StoreStats;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.peers.TorrentVisitor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every swarm in this process's heap: the embedded store of a single-node tracker.
 *
 * <p>Torrents are spread over lock stripes by a seeded hash of their info hash; each stripe holds an
 * allocation-free open-addressing map of swarms, and each swarm packs its peers into arrays (see
 * {@link PeerTable}), so no object exists per peer (about 38 heap bytes per IPv4 peer with ten-peer swarms). An
 * announce holds one stripe's lock only while it updates its swarm and copies the reply; announces to other
 * stripes run in parallel. Every answer is already complete when returned.
 *
 * <p>Expired peers are dropped lazily whenever their swarm is touched and by {@link #expire()}, which the
 * owner should call periodically (every minute or so) to reclaim torrents nobody announces to any more. A torrent
 * whose last peer left with downloads counted stays as a peerless swarm (its hash and count, no peer table) for the
 * configured retention; it holds a place under the torrent limit until a new torrent needs it.
 * {@link #fullScrape} runs in the calling thread, one stripe at a time.
 */
public final class MemoryPeerStore implements PeerStore {
    public static final int DEFAULT_STRIPES = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MemoryPeerStore.class);
    private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);
    /** Expiry is kept in 31 bits of seconds beside the seeder flag; no sensible TTL comes near. */
    private static final long MAX_TTL_SECONDS = 1L << 28;

    private final Clock clock;
    private final long epochMillis;
    private final int ttlSeconds;
    private final Stripe[] stripes;
    private final int stripeMask;
    private final Capacity capacity;
    /** Where the next search for a retained swarm of another stripe starts; racy on purpose (only a hint). */
    private int evictStart;
    private final LogThrottle fullWarnings = new LogThrottle(WARN_INTERVAL, System::nanoTime);
    private final LogThrottle errorLogs = new LogThrottle(WARN_INTERVAL, System::nanoTime);
    private volatile boolean closed;

    public MemoryPeerStore(PeerStoreConfig config) {
        this(config, DEFAULT_STRIPES);
    }

    /** @param stripes how many locks the torrents are spread over; a power of two */
    public MemoryPeerStore(PeerStoreConfig config, int stripes) {
        if (stripes < 1 || Integer.bitCount(stripes) != 1 || stripes > (1 << 20)) {
            throw new IllegalArgumentException("stripes must be a power of two up to 2^20");
        }
        long ttl = (config.peerTtl().toMillis() + 999) / 1000;
        if (ttl > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("peer TTL too long");
        }
        long retention = (config.downloadsRetention().toMillis() + 999) / 1000;
        if (retention > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("downloads retention too long");
        }
        this.clock = config.clock();
        this.epochMillis = clock.millis();
        this.ttlSeconds = (int) Math.max(1, ttl);
        this.capacity = new Capacity(config.maxTorrents(), config.maxPeers());
        this.stripes = new Stripe[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new Stripe(capacity, (int) retention);
        }
        this.stripeMask = stripes - 1;
    }

    @Override
    public CompletionStage<AnnounceResult> announce(PeerAnnounce announce) {
        if (closed) {
            return CompletableFuture.failedFuture(closedError());
        }
        try {
            byte[] infoHash = announce.infoHash();
            long w0 = Hashing.readLong(infoHash, 0);
            long w1 = Hashing.readLong(infoHash, 8);
            int w2 = Hashing.readInt(infoHash, 16);
            long hash = Hashing.infoHash(w0, w1, w2);
            int now = now();
            AnnounceResult result;
            try {
                result = stripe(hash).announce(announce, w0, w1, w2, (int) hash, now, now + ttlSeconds);
            } catch (PeerStoreException e) {
                // At the torrent limit a retained (peerless) torrent of another stripe gives way, then try once more.
                if (e != Stripe.TORRENTS_FULL || !evictRetainedAnywhere()) {
                    throw e;
                }
                result = stripe(hash).announce(announce, w0, w1, w2, (int) hash, now, now + ttlSeconds);
            }
            return CompletableFuture.completedFuture(result);
        } catch (PeerStoreException e) {
            if (e.kind() == PeerStoreException.Kind.FULL) {
                warnFull();
            }
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(internalError(e));
        }
    }

    /** Counts for each hash in order; a hash that is not 20 bytes long names no torrent and gets empty counts. */
    @Override
    public CompletionStage<List<SwarmCounts>> scrape(List<byte[]> infoHashes) {
        if (closed) {
            return CompletableFuture.failedFuture(closedError());
        }
        try {
            int now = now();
            SwarmCounts[] out = new SwarmCounts[infoHashes.size()];
            for (int i = 0; i < out.length; i++) {
                byte[] infoHash = infoHashes.get(i);
                if (infoHash == null || infoHash.length != 20) {
                    out[i] = SwarmCounts.EMPTY;
                    continue;
                }
                long w0 = Hashing.readLong(infoHash, 0);
                long w1 = Hashing.readLong(infoHash, 8);
                int w2 = Hashing.readInt(infoHash, 16);
                long hash = Hashing.infoHash(w0, w1, w2);
                out[i] = stripe(hash).counts((int) hash, w0, w1, w2, now);
            }
            return CompletableFuture.completedFuture(List.of(out));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(internalError(e));
        }
    }

    /** Visits stripe by stripe: counts are copied under the stripe's lock, the visitor runs outside it. */
    @Override
    public CompletionStage<Void> fullScrape(TorrentVisitor visitor) {
        if (closed) {
            return CompletableFuture.failedFuture(closedError());
        }
        ScrapeBatch batch = new ScrapeBatch();
        try {
            for (Stripe stripe : stripes) {
                batch.clear();
                stripe.sweep(now(), batch);
                batch.visit(visitor);
            }
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Exact totals, summed over the stripes (each read under its lock). */
    @Override
    public StoreStats stats() {
        long[] totals = new long[3];
        for (Stripe stripe : stripes) {
            stripe.addTotals(totals);
        }
        return new StoreStats(totals[0], totals[1] + totals[2], totals[1], totals[2]);
    }

    @Override
    public boolean isReady() {
        return !closed;
    }

    /** Sweeps stripe by stripe, each under its own lock only while that stripe is swept. */
    @Override
    public void expire() {
        for (Stripe stripe : stripes) {
            stripe.sweep(now(), null);
        }
    }

    /** Forgets everything; later calls fail with {@link PeerStoreException.Kind#UNAVAILABLE}. */
    @Override
    public void close() {
        closed = true;
        for (Stripe stripe : stripes) {
            stripe.clear();
        }
        capacity.reset();
    }

    /** Peers and torrents holding a place under the limits; equal to {@link #stats()} when no announce is running. */
    long reservedPeers() {
        return capacity.peers();
    }

    long reservedTorrents() {
        return capacity.torrents();
    }

    /** Evicts one retained torrent from some stripe, each stripe locked alone (never two locks at once). */
    private boolean evictRetainedAnywhere() {
        if (capacity.retained() == 0) {
            return false;
        }
        int start = evictStart;
        for (int i = 0; i < stripes.length; i++) {
            int s = (start + i) & stripeMask;
            if (stripes[s].evictRetained()) {
                evictStart = s;
                return true;
            }
        }
        return false;
    }

    /** Seconds since the store was created, by the configured clock. */
    private int now() {
        long seconds = Math.floorDiv(clock.millis() - epochMillis, 1000L);
        return (int) Math.max(-MAX_TTL_SECONDS, Math.min(seconds, MAX_TTL_SECONDS));
    }

    private Stripe stripe(long hash) {
        // the high half picks the stripe; the low half (Swarm.hash()) picks the slot inside it
        return stripes[(int) (hash >>> 40) & stripeMask];
    }

    private void warnFull() {
        long heldBack = fullWarnings.permit();
        if (heldBack >= 0) {
            LOG.warn("peer store full ({}/{} torrents, {}/{} peers): refusing new torrents and peers; "
                    + "{} refusals not logged since the last warning", capacity.torrents(), capacity.maxTorrents(),
                    capacity.peers(), capacity.maxPeers(), heldBack);
        }
    }

    private PeerStoreException internalError(RuntimeException e) {
        long heldBack = errorLogs.permit();
        if (heldBack >= 0) {
            LOG.error("peer store failed ({} more failures since the last report)", heldBack, e);
        }
        return new PeerStoreException(PeerStoreException.Kind.UNAVAILABLE, "tracker error", e);
    }

    private static PeerStoreException closedError() {
        return new PeerStoreException(PeerStoreException.Kind.UNAVAILABLE, "tracker is shutting down");
    }
}
