package io.shoal.tracker.loadgen;

import java.util.SplittableRandom;

/**
 * Draws the traffic: a warm-up that announces every (torrent, member) peer once, then a random mix of announces
 * and multi-hash scrapes. Draws depend only on the seed, never on replies or timing, so two runs with the same seed
 * send the same requests in the same order.
 */
final class TrafficMix {
    private final Workload workload;
    private final SplittableRandom rng;
    private final int announcePercent;
    private final int scrapeHashes;
    private final byte[] states;
    private final Popularity popularity;
    private int warmupCursor;

    TrafficMix(Workload workload, long seed, int announcePercent, int scrapeHashes) {
        this(workload, seed, announcePercent, scrapeHashes, new Popularity(workload.torrents(), 0, 0));
    }

    /** @param popularity which torrents the load asks about; the warm-up announces every peer regardless */
    TrafficMix(Workload workload, long seed, int announcePercent, int scrapeHashes, Popularity popularity) {
        if (announcePercent < 0 || announcePercent > 100) {
            throw new IllegalArgumentException("announce percent must be 0..100");
        }
        if (scrapeHashes < 1 || scrapeHashes > Bep15Requests.MAX_SCRAPE_HASHES) {
            throw new IllegalArgumentException("scrape hashes must be 1.." + Bep15Requests.MAX_SCRAPE_HASHES);
        }
        this.workload = workload;
        // a stream of its own, so that the world (same seed) and the traffic do not share draws
        this.rng = new SplittableRandom(seed ^ 0x5DEECE66DL).split();
        this.announcePercent = announcePercent;
        this.scrapeHashes = Math.min(scrapeHashes, workload.torrents());
        this.states = workload.initialStates();
        this.popularity = popularity;
    }

    /** Fills the next warm-up announce ("started", seeder or leecher as the world says); false when all are done. */
    boolean nextWarmup(PlannedRequest out) {
        if (warmupCursor >= workload.totalPeers()) {
            return false;
        }
        int peer = warmupCursor++;
        int torrent = torrentOfPeer(peer);
        int member = peer - workload.firstPeer(torrent);
        out.announce(workload.clientOf(torrent, member), torrent, PeerLifecycle.STARTED,
                PeerLifecycle.leftFor(states[peer], member % 100));
        return true;
    }

    int warmupDone() {
        return warmupCursor;
    }

    void nextLoad(PlannedRequest out) {
        if (rng.nextInt(100) < announcePercent) {
            int torrent = popularity.next(rng);
            int member = rng.nextInt(workload.swarmSize(torrent));
            int peer = workload.peerIndex(torrent, member);
            byte state = states[peer];
            int event = PeerLifecycle.nextEvent(state, rng.nextInt(100));
            byte after = PeerLifecycle.stateAfter(state, event, rng.nextInt(100));
            // a peer that stops reports what it had; every other announce reports its new state
            long left = PeerLifecycle.leftFor(event == PeerLifecycle.STOPPED ? state : after, rng.nextInt(100));
            states[peer] = after;
            out.announce(workload.clientOf(torrent, member), torrent, event, left);
        } else {
            out.scrape(rng.nextInt(workload.clients()));
            int count = 0;
            int rejected = 0;
            while (count < scrapeHashes) {
                // a very skewed popularity may draw the same few torrents again and again: fall back to uniform
                int torrent = rejected < 8 * scrapeHashes ? popularity.next(rng)
                        : rng.nextInt(workload.torrents());
                if (!contains(out.hashes, count, torrent)) {
                    out.hashes[count++] = torrent;
                } else {
                    rejected++;
                }
            }
            out.hashCount = count;
        }
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private int torrentOfPeer(int peer) {
        int lo = 0;
        int hi = workload.torrents() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (workload.firstPeer(mid) <= peer) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
