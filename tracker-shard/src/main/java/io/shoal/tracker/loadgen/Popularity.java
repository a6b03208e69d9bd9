package io.shoal.tracker.loadgen;

import java.util.SplittableRandom;

/**
 * How often each torrent is asked about. Real trackers see a few very popular torrents and a long tail, which
 * decides how often the same swarm's lock, cache lines and Redis keys are hit; a uniform draw hides that. With
 * exponent {@code s > 0} torrent of popularity rank {@code r} (1-based) is drawn with weight {@code 1 / r^s} (Zipf);
 * {@code s = 0} is uniform. Ranks are given to torrents in a seeded random order, so the most popular torrent is
 * not always torrent 0 (which, like every 20th, is a big swarm).
 */
final class Popularity {
    private final int torrents;
    /** Cumulative weights by rank, normalised to 1; null when uniform. */
    private final double[] cumulative;
    private final int[] torrentOfRank;

    Popularity(int torrents, double exponent, long seed) {
        if (torrents < 1) {
            throw new IllegalArgumentException("torrents must be positive");
        }
        if (!(exponent >= 0) || exponent > 10) {
            throw new IllegalArgumentException("zipf exponent must be 0..10, got " + exponent);
        }
        this.torrents = torrents;
        if (exponent == 0) {
            cumulative = null;
            torrentOfRank = null;
            return;
        }
        cumulative = new double[torrents];
        double sum = 0;
        for (int r = 0; r < torrents; r++) {
            sum += Math.pow(r + 1, -exponent);
            cumulative[r] = sum;
        }
        for (int r = 0; r < torrents; r++) {
            cumulative[r] /= sum;
        }
        cumulative[torrents - 1] = 1.0;
        torrentOfRank = new int[torrents];
        for (int t = 0; t < torrents; t++) {
            torrentOfRank[t] = t;
        }
        SplittableRandom shuffle = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        for (int i = torrents - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int swap = torrentOfRank[i];
            torrentOfRank[i] = torrentOfRank[j];
            torrentOfRank[j] = swap;
        }
    }

    boolean isUniform() {
        return cumulative == null;
    }

    /** Draws a torrent. */
    int next(SplittableRandom rng) {
        if (cumulative == null) {
            return rng.nextInt(torrents);
        }
        double u = rng.nextDouble();
        int lo = 0;
        int hi = torrents - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return torrentOfRank[lo];
    }

    /** The share of draws that land on the torrent of this rank (0-based); for tests and reports. */
    double share(int rank) {
        if (cumulative == null) {
            return 1.0 / torrents;
        }
        return rank == 0 ? cumulative[0] : cumulative[rank] - cumulative[rank - 1];
    }

    int torrentOfRank(int rank) {
        return cumulative == null ? rank : torrentOfRank[rank];
    }
}
