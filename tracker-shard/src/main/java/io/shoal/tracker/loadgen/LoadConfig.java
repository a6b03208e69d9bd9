package io.shoal.tracker.loadgen;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Settings of one run, validated; see {@link LoadgenCommand} for what each means. */
record LoadConfig(InetSocketAddress target, int clients, int torrents, int peersPerTorrent, int basePort,
                  long requests, Duration duration, Duration warmupDuration, int window, int announcePercent,
                  int scrapeHashes, int numwant, Duration timeout, Duration connectionRefresh, int sockets,
                  long seed, long trafficSeed, Phase phase, boolean allowSelfPeer, boolean strictPeers,
                  double zipfExponent, Protocol protocol, boolean httpClose, boolean allowUnsortedKeys, List<Long> targetPids) {

    enum Phase { ALL, WARMUP, LOAD }

    enum Protocol { UDP, HTTP }

    LoadConfig {
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve " + target.getHostString());
        }
        targetPids = List.copyOf(targetPids);
        if (window < 1 || (protocol == Protocol.HTTP && window > MAX_HTTP_CONNECTIONS)) {
            throw new IllegalArgumentException("window must be 1.." + (protocol == Protocol.HTTP
                    ? MAX_HTTP_CONNECTIONS : InFlight.MAX_WINDOW - 1));
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

    /** HTTP mode holds one connection per request in flight; more would exhaust the file descriptors. */
    static final int MAX_HTTP_CONNECTIONS = 4096;

    /** The simulated world of this run: the same config gives the same torrents, clients and swarms. */
    Workload workload() {
        return new Workload(seed(), clients(), torrents(), peersPerTorrent(), basePort());
    }

    /** The request sequence over {@code workload}, the same for every tracker measured with this config. */
    TrafficMix trafficMix(Workload workload) {
        return new TrafficMix(workload, trafficSeed(), announcePercent(), scrapeHashes(),
                new Popularity(torrents(), zipfExponent(), seed()));
    }

    boolean runsWarmup() {
        return phase != Phase.LOAD;
    }

    boolean runsLoad() {
        return phase != Phase.WARMUP;
    }
}
