package io.shoal.tracker.loadgen;

import java.net.InetSocketAddress;
import java.time.Duration;

/** Settings of one run, validated; see {@link LoadgenCommand} for what each means. */
record LoadConfig(InetSocketAddress target, int clients, int torrents, int peersPerTorrent, int basePort,
                  long requests, Duration duration, Duration warmupDuration, int window, int announcePercent,
                  int scrapeHashes, int numwant, Duration timeout, Duration connectionRefresh, int sockets,
                  long seed, long trafficSeed, Phase phase, boolean allowSelfPeer, boolean strictPeers) {

    enum Phase { ALL, WARMUP, LOAD }

    LoadConfig {
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve " + target.getHostString());
        }
        if (requests < 0) {
            throw new IllegalArgumentException("requests must not be negative");
        }
        if (numwant < 0) {
            throw new IllegalArgumentException("numwant must not be negative");
        }
        if (sockets < 1 || sockets > 64) {
            throw new IllegalArgumentException("sockets must be 1..64");
        }
        if (timeout.isNegative() || timeout.isZero() || duration.isNegative() || warmupDuration.isNegative()) {
            throw new IllegalArgumentException("durations must be positive");
        }
        if (connectionRefresh.compareTo(Duration.ofSeconds(110)) > 0 || connectionRefresh.isNegative()
                || connectionRefresh.isZero()) {
            // BEP 15 ids live two minutes; renewing later would send requests with dead ids
            throw new IllegalArgumentException("connection refresh must be within 1..110 s");
        }
    }

    boolean runsWarmup() {
        return phase != Phase.LOAD;
    }

    boolean runsLoad() {
        return phase != Phase.WARMUP;
    }
}
