package io.shoal.tracker.peers.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.StoreStats;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.peers.TorrentVisitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Peer store on a Redis server (6.2 or newer), shared by every process of a shard. One announce is one round
 * trip: an EVALSHA of {@code announce.lua} with the peer draws pipelined behind it (see {@link Announcer}); a
 * multi-hash scrape is one call of {@code scrape.lua} per 256 hashes, all pipelined, and concurrent scrapes share
 * calls (see {@link Scraper});
 * {@link #fullScrape} and {@link #stats()} walk the slot indexes in small pipelined steps (see
 * {@link SlotWalker}). Key layout: {@link RedisKeys}.
 *
 * <p>A torrent whose last peer left with downloads counted is kept, peerless, for the downloads retention (from
 * when a script first sees it peerless: a stop, an announce, a scrape or a walk): only its download hash stays,
 * with its index entry and an entry in its slot's kept set. At the torrent limit a new torrent evicts a kept one
 * (see {@link KeptTorrents}).
 *
 * <p>Time comes from the configured clock and is passed to every script, so all processes sharing a Redis agree
 * and tests can move time. While Redis cannot be reached, every request fails within about the command timeout
 * with {@code PeerStoreException(UNAVAILABLE, "peer store unavailable")}, {@link #isReady()} is false, and the
 * store recovers by itself when Redis is back.
 *
 * <p>Stages complete on the Redis client's I/O thread: keep what runs on completion short (writing a reply to a
 * Netty channel is fine; Netty hands it to the channel's own loop).
 */
public final class RedisPeerStore implements PeerStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisPeerStore.class);

    static final LuaScript ANNOUNCE = LuaScript.resources("prelude.lua", "announce.lua");
    static final LuaScript SCRAPE = LuaScript.resources("prelude.lua", "scrape.lua");
    static final LuaScript WALK = LuaScript.resources("prelude.lua", "walk.lua");
    static final LuaScript EVICT = LuaScript.resources("prelude.lua", "evict.lua");

    /** A walk may use at most 1/20 of the wall-clock time: the refresh interval stretches to 20x its duration. */
    private static final int WALK_DUTY_FACTOR = 20;
    /** How long {@link #open} waits for the first walk (which tells the limits where the store stands). */
    private static final Duration INITIAL_WALK_WAIT = Duration.ofSeconds(30);

    private final PeerStoreConfig config;
    private final RedisStoreOptions options;
    private final ScheduledExecutorService scheduler;
    private final ScriptRunner scripts;
    private final RedisLink link;
    private final SlotWalker walker;
    private final StoreTotals totals = new StoreTotals();
    private final KeptTorrents kept;
    private final Announcer announcer;
    private final Scraper scraper;
    private CompletableFuture<StoreStats> walkChain = CompletableFuture.completedFuture(StoreStats.EMPTY);
    /** System.nanoTime() when the last walk was queued (guarded by this). */
    private long lastWalkStart = System.nanoTime();
    private volatile boolean closed;

    private RedisPeerStore(String redisUri, PeerStoreConfig config, RedisStoreOptions options) {
        this.config = config;
        this.options = options;
        long keyTtlMillis = config.peerTtl().toMillis() + options.keyTtlMargin().toMillis();
        // a key's TTL is pushed forward at most this often: the margin then always covers its peers' expiry
        long ttlRefreshMillis = options.keyTtlMargin().toMillis() / 2;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shoal-redis-store");
            t.setDaemon(true);
            return t;
        });
        this.scripts = new ScriptRunner(List.of(ANNOUNCE, SCRAPE, WALK, EVICT));
        RedisLink created = null;
        try {
            created = new RedisLink(redisUri, options, scheduler, this::loadScripts);
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
        this.link = created;
        this.kept = new KeptTorrents(EVICT, scripts, link::requests);
        this.announcer = new Announcer(ANNOUNCE, scripts, config, options, totals, kept, link::requests,
                keyTtlMillis, ttlRefreshMillis);
        this.scraper = new Scraper(SCRAPE, scripts, config, options, kept, link::requests);
        this.walker = new SlotWalker(link::background, scripts, WALK, config.clock(), keyTtlMillis,
                config.downloadsRetention().toMillis(), kept, options, scheduler);
    }

    /**
     * Opens a store on {@code redis://host:port[/db]}. Connects before returning when Redis answers within the
     * connect timeout; otherwise the store starts not ready and keeps connecting in the background.
     *
     * @throws IllegalArgumentException when the URI is not a Redis URI
     */
    public static RedisPeerStore open(String redisUri, PeerStoreConfig config, RedisStoreOptions options) {
        RedisPeerStore store = new RedisPeerStore(redisUri, config, options);
        store.start();
        return store;
    }

    private CompletableFuture<Void> loadScripts() {
        return scripts.loadAll(link.requests());
    }

    private void start() {
        link.connectNow();
        if (link.isReady()) {
            // the limits need the totals: learn them before the first announce rather than racing it
            try {
                enqueueWalk(null).get(INITIAL_WALK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("first walk of the Redis peer store did not finish: {}", Failures.unwrap(e).toString());
            }
        }
        long health = options.healthCheckInterval().toMillis();
        scheduler.scheduleWithFixedDelay(link::check, health, health, TimeUnit.MILLISECONDS);
        scheduleStats(options.statsInterval().toMillis());
    }

    @Override
    public CompletionStage<AnnounceResult> announce(PeerAnnounce a) {
        if (!link.isReady()) {
            return CompletableFuture.failedFuture(Failures.unavailable());
        }
        return announcer.announce(a);
    }

    /** Counts for each hash in order; a hash that is not 20 bytes long names no torrent and gets empty counts. */
    @Override
    public CompletionStage<List<SwarmCounts>> scrape(List<byte[]> infoHashes) {
        List<byte[]> valid = new ArrayList<>(infoHashes.size());
        for (byte[] ih : infoHashes) {
            if (ih != null && ih.length == 20) {
                valid.add(ih);
            }
        }
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(Collections.nCopies(infoHashes.size(), SwarmCounts.EMPTY));
        }
        RedisAsyncCommands<byte[], byte[]> commands = link.requests();
        if (commands == null || !link.isReady()) {
            return CompletableFuture.failedFuture(Failures.unavailable());
        }
        CompletableFuture<List<SwarmCounts>> counted;
        if (valid.size() <= Scraper.MAX_HASHES_PER_CALL) {
            counted = scraper.scrape(valid);
        } else {
            List<CompletableFuture<List<SwarmCounts>>> parts = new ArrayList<>();
            int most = Scraper.MAX_HASHES_PER_CALL;
            for (int from = 0; from < valid.size(); from += most) {
                parts.add(scraper.scrape(valid.subList(from, Math.min(valid.size(), from + most))));
            }
            counted = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(x -> {
                List<SwarmCounts> all = new ArrayList<>(valid.size());
                for (CompletableFuture<List<SwarmCounts>> p : parts) {
                    all.addAll(p.join());
                }
                return all;
            });
        }
        if (valid.size() == infoHashes.size()) {
            return counted;
        }
        return counted.thenApply(found -> {
            List<SwarmCounts> out = new ArrayList<>(infoHashes.size());
            int next = 0;
            for (byte[] ih : infoHashes) {
                out.add(ih != null && ih.length == 20 ? found.get(next++) : SwarmCounts.EMPTY);
            }
            return out;
        });
    }

    @Override
    public CompletionStage<Void> fullScrape(TorrentVisitor visitor) {
        return enqueueWalk(visitor).thenApply(stats -> null);
    }

    /** Totals of the last completed walk (refreshed every {@code statsInterval}, see {@link #refreshStats()}). */
    @Override
    public StoreStats stats() {
        return totals.lastWalk();
    }

    /** Walks the store now (after any walk in progress); completes with the fresh totals {@link #stats()} returns. */
    public CompletableFuture<StoreStats> refreshStats() {
        return enqueueWalk(null);
    }

    @Override
    public boolean isReady() {
        return !closed && link.isReady();
    }

    /**
     * Redis drops a swarm's expired peers whenever it is announced to or scraped, and the periodic walk purges the
     * rest (idle torrents' keys also expire by themselves). This asks for that walk now, unless one is under way or
     * one started within the last stats interval, so that frequent calls cost nothing.
     */
    @Override
    public void expire() {
        long now = System.nanoTime();
        boolean start;
        synchronized (this) {
            start = !closed && walkChain.isDone()
                    && now - lastWalkStart >= TimeUnit.MILLISECONDS.toNanos(options.statsInterval().toMillis());
        }
        if (start) {
            enqueueWalk(null);
        }
    }

    /**
     * Names of the existing keys of one slot: its index first, its kept set, then each indexed torrent's keys. Found through
     * the slot index (SSCAN), never KEYS. For the migration command; waits for the answer.
     */
    public List<String> keysOfSlot(int slot) {
        try {
            return keysOfSlotAsync(slot).join();
        } catch (RuntimeException e) {
            throw Failures.translate(e);
        }
    }

    /** As {@link #keysOfSlot} without waiting. */
    public CompletableFuture<List<String>> keysOfSlotAsync(int slot) {
        return SlotKeys.list(link.background(), slot, options.scanCount());
    }

    /**
     * Counts every torrent of a slot again from its members (n4, n6, s of the hashes). For the migration command
     * after it merged a slot's keys into this Redis.
     */
    public CompletableFuture<Void> recountSlot(int slot) {
        if (!link.isReady()) {
            return CompletableFuture.failedFuture(Failures.unavailable());
        }
        return walker.walkIndex(RedisKeys.indexKey(slot), true).thenApply(counted -> null);
    }

    private synchronized CompletableFuture<StoreStats> enqueueWalk(TorrentVisitor visitor) {
        if (closed) {
            return CompletableFuture.failedFuture(Failures.unavailable());
        }
        CompletableFuture<StoreStats> next = walkChain.handle((s, e) -> null).thenCompose(x -> runWalk(visitor));
        walkChain = next;
        lastWalkStart = System.nanoTime();
        return next;
    }

    private CompletableFuture<StoreStats> runWalk(TorrentVisitor visitor) {
        if (closed || !link.isReady()) {
            return CompletableFuture.failedFuture(Failures.unavailable());
        }
        return walker.walk(visitor).thenApply(walked -> {
            // changes made while the walk ran may or may not be in it; counting them as missed (rather than twice)
            // errs towards admitting an announce, never towards refusing one wrongly
            totals.walked(totals.mark(), walked.stats(), walked.kept());
            return walked.stats();
        });
    }

    private void scheduleStats(long delayMillis) {
        if (closed) {
            return;
        }
        scheduler.schedule(() -> {
            long started = System.nanoTime();
            enqueueWalk(null).whenComplete((stats, err) -> {
                if (err != null && link.isReady()) {
                    LOG.warn("walking the Redis peer store failed: {}", Failures.unwrap(err).toString());
                }
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                scheduleStats(Math.max(options.statsInterval().toMillis(), WALK_DUTY_FACTOR * tookMillis));
            });
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        link.close();
        scheduler.shutdownNow();
    }
}
