package io.shoal.tracker.peers.memory;

import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerStoreException;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.protocol.AnnounceEvent;

/**
 * A share of the torrents (chosen by info hash) behind one lock, with exact seeder and leecher totals. Every
 * method holds the stripe's monitor for the whole operation, so one announce is atomic, and announces to
 * torrents of other stripes run in parallel.
 *
 * <p>A swarm whose last peer left with downloads counted stays in the map, peerless ("retained"), until
 * {@code retentionSeconds} later; its {@link Swarm#sweepDue} then says the retention is over. It keeps its place
 * under the torrent limit, and gives it up to a new torrent when the limit is reached.
 */
final class Stripe {
    static final PeerStoreException FULL = new PeerStoreException(PeerStoreException.Kind.FULL, "tracker is full");
    /** The torrent limit stopped a new torrent and this stripe had no retained swarm to give way. */
    static final PeerStoreException TORRENTS_FULL =
            new PeerStoreException(PeerStoreException.Kind.FULL, "tracker is full");

    private final Capacity capacity;
    private final int retentionSeconds;
    private final SwarmMap swarms = new SwarmMap();
    private long seeders;
    private long leechers;
    /** Peerless swarms kept for their download count; in {@link #swarms} but not counted as torrents. */
    private int retained;
    /** Where the search for a retained swarm to evict resumes, so evictions do not rescan the same slots. */
    private int evictCursor;

    Stripe(Capacity capacity, int retentionSeconds) {
        this.capacity = capacity;
        this.retentionSeconds = retentionSeconds;
    }

    /**
     * Applies an announce and answers it.
     *
     * @throws PeerStoreException {@link #FULL} when a limit stops a new torrent or peer, {@link #TORRENTS_FULL}
     *                            when the torrent limit does and no retained swarm here could give way; nothing
     *                            was changed
     */
    synchronized AnnounceResult announce(PeerAnnounce a, long w0, long w1, int w2, int hash, int now, int expiresAt) {
        Swarm swarm = find(hash, w0, w1, w2, now);
        if (a.event() == AnnounceEvent.STOPPED) {
            return stop(swarm, a, now);
        }
        if (a.port() == 0) {
            return swarm == null ? noSwarm(a.wantPeerIds())
                    : swarm.reply(a.families(), a.numwant(), a.wantPeerIds(), null, -1, now);
        }
        boolean ipv6 = a.isIpv6();
        PeerTable table;
        int entry;
        boolean wasSeeder;
        if (swarm == null) {
            // The peer first: a refused announce must not have evicted a retained swarm.
            if (!capacity.reservePeer()) {
                throw FULL;
            }
            if (!capacity.reserveTorrent() && !(evictRetained() && capacity.reserveTorrent())) {
                capacity.releasePeers(1);
                throw TORRENTS_FULL;
            }
            swarm = new Swarm(w0, w1, w2);
            swarms.add(swarm);
            table = swarm.tableForAdding(ipv6);
            entry = table.add(a.ip(), a.port(), a.peerId(), expiresAt, a.seeder());
            added(a.seeder());
            wasSeeder = false;
        } else {
            table = swarm.table(ipv6);
            entry = table == null ? -1 : table.find(a.ip(), a.port());
            if (entry >= 0) {
                wasSeeder = table.refresh(entry, a.peerId(), expiresAt, a.seeder());
                if (wasSeeder != a.seeder()) {
                    long move = a.seeder() ? 1 : -1;
                    seeders += move;
                    leechers -= move;
                }
            } else {
                if (!capacity.reservePeer()) {
                    throw FULL;
                }
                if (swarm.isEmpty()) {
                    revive(swarm);
                }
                table = swarm.tableForAdding(ipv6);
                entry = table.add(a.ip(), a.port(), a.peerId(), expiresAt, a.seeder());
                added(a.seeder());
                wasSeeder = false;
            }
        }
        swarm.noteExpiry(expiresAt);
        if (a.event() == AnnounceEvent.COMPLETED && a.seeder() && !wasSeeder) {
            swarm.countDownload();
        }
        return swarm.reply(a.families(), a.numwant(), a.wantPeerIds(), table, entry, now);
    }

    synchronized SwarmCounts counts(int hash, long w0, long w1, int w2, int now) {
        Swarm swarm = find(hash, w0, w1, w2, now);
        return swarm == null ? SwarmCounts.EMPTY : swarm.counts();
    }

    /**
     * Drops expired peers of every swarm due for a sweep and the swarms left empty (unless retained), and the
     * retained swarms whose retention is over; with a batch, also copies the counts of every swarm with peers.
     */
    synchronized void sweep(int now, ScrapeBatch batch) {
        int slot = 0;
        while (slot < swarms.capacity()) {
            Swarm swarm = swarms.at(slot);
            if (swarm != null && swarm.sweepDue(now) && sweepDrops(swarm, now)) {
                swarms.removeAt(slot); // another swarm may have moved into this slot: look again
                continue;
            }
            slot++;
        }
        swarms.shrinkIfSparse();
        if (batch != null) {
            for (slot = 0; slot < swarms.capacity(); slot++) {
                Swarm swarm = swarms.at(slot);
                if (swarm != null && !swarm.isEmpty()) {
                    batch.add(swarm);
                }
            }
        }
    }

    /** Adds this stripe's torrents, seeders and leechers to {@code totals[0..2]}. */
    synchronized void addTotals(long[] totals) {
        totals[0] += swarms.size() - retained;
        totals[1] += seeders;
        totals[2] += leechers;
    }

    synchronized void clear() {
        swarms.clear();
        seeders = 0;
        leechers = 0;
        retained = 0;
    }

    /**
     * Removes one retained swarm to make room for a new torrent, giving its place under the torrent limit back.
     *
     * @return false when this stripe has no retained swarm
     */
    synchronized boolean evictRetained() {
        if (retained == 0) {
            return false;
        }
        int mask = swarms.capacity() - 1;
        for (int i = 0; i <= mask; i++) {
            int slot = (evictCursor + i) & mask;
            Swarm swarm = swarms.at(slot);
            if (swarm != null && swarm.isEmpty()) {
                swarms.removeAt(slot);
                evictCursor = slot;
                retained--;
                capacity.retainedChanged(-1);
                capacity.releaseTorrents(1);
                return true;
            }
        }
        return false;
    }

    /**
     * The swarm of an info hash (possibly a retained, peerless one), sweeping it first when one of its peers may
     * have expired or its retention may be over.
     */
    private Swarm find(int hash, long w0, long w1, int w2, int now) {
        Swarm swarm = swarms.get(hash, w0, w1, w2);
        if (swarm != null && swarm.sweepDue(now) && sweepDrops(swarm, now)) {
            swarms.remove(swarm);
            return null;
        }
        return swarm;
    }

    /**
     * Sweeps a swarm due for it and decides, as {@link #dropsWhenEmpty} does, whether the caller removes it; a
     * swarm that was peerless before the sweep was retained, and its retention is over.
     */
    private boolean sweepDrops(Swarm swarm, int now) {
        boolean wasRetained = swarm.isEmpty();
        sweep(swarm, now);
        return dropsWhenEmpty(swarm, wasRetained, now);
    }

    /**
     * True when a swarm left without peers is not kept for its downloads: its place under the torrent limit is
     * given back and the caller removes it from {@link #swarms} (still under this stripe's lock).
     */
    private boolean dropsWhenEmpty(Swarm swarm, boolean wasRetained, int now) {
        if (swarm.isEmpty() && !keepsDownloads(swarm, wasRetained, now)) {
            capacity.releaseTorrents(1);
            return true;
        }
        return false;
    }

    private void sweep(Swarm swarm, int now) {
        int seedersBefore = swarm.allSeeders();
        int leechersBefore = swarm.allLeechers();
        swarm.sweep(now);
        int goneSeeders = seedersBefore - swarm.allSeeders();
        int goneLeechers = leechersBefore - swarm.allLeechers();
        seeders -= goneSeeders;
        leechers -= goneLeechers;
        capacity.releasePeers(goneSeeders + goneLeechers);
    }

    /**
     * Decides about a swarm left without peers: true when it stays, retained for its download count, false when
     * the caller removes it (no downloads, no retention, or a retention that is over).
     */
    private boolean keepsDownloads(Swarm swarm, boolean wasRetained, int now) {
        if (wasRetained) {
            retained--;
            capacity.retainedChanged(-1);
            return false;
        }
        if (swarm.downloaded() == 0 || retentionSeconds == 0) {
            return false;
        }
        swarm.keepUntil(now + retentionSeconds);
        retained++;
        capacity.retainedChanged(1);
        return true;
    }

    /** A retained swarm takes a peer again: it is a torrent again (its place under the limit was kept). */
    private void revive(Swarm swarm) {
        swarm.keepUntil(Integer.MAX_VALUE);
        retained--;
        capacity.retainedChanged(-1);
    }

    private AnnounceResult stop(Swarm swarm, PeerAnnounce a, int now) {
        if (swarm == null) {
            return noSwarm(a.wantPeerIds());
        }
        PeerTable table = swarm.table(a.isIpv6());
        int entry = table == null ? -1 : table.find(a.ip(), a.port());
        if (entry >= 0) {
            boolean seeder = table.isSeeder(entry);
            swarm.remove(table, entry);
            if (seeder) {
                seeders--;
            } else {
                leechers--;
            }
            capacity.releasePeers(1);
            if (dropsWhenEmpty(swarm, false, now)) {
                swarms.remove(swarm);
            }
        }
        byte[] ids = a.wantPeerIds() ? AnnounceResult.NONE : null;
        return new AnnounceResult(swarm.allSeeders(), swarm.allLeechers(), swarm.downloaded(),
                AnnounceResult.NONE, AnnounceResult.NONE, ids, ids);
    }

    private void added(boolean seeder) {
        if (seeder) {
            seeders++;
        } else {
            leechers++;
        }
    }

    private static AnnounceResult noSwarm(boolean wantIds) {
        byte[] ids = wantIds ? AnnounceResult.NONE : null;
        return new AnnounceResult(0, 0, 0, AnnounceResult.NONE, AnnounceResult.NONE, ids, ids);
    }
}
