package io.shoal.tracker.peers;

import java.time.Clock;
import java.time.Duration;

/**
 * Settings every peer store honours.
 *
 * @param peerTtl     how long a peer stays after its last announce
 * @param maxTorrents the most torrents kept; an announce that would add one more is refused
 * @param maxPeers    the most peers kept over all torrents; an announce that would add one more is refused
 * @param clock       time source (tests move it)
 */
public record PeerStoreConfig(Duration peerTtl, long maxTorrents, long maxPeers, Clock clock) {

    public static final Duration DEFAULT_PEER_TTL = Duration.ofMinutes(45);
    public static final long DEFAULT_MAX_TORRENTS = 5_000_000;
    public static final long DEFAULT_MAX_PEERS = 50_000_000;

    public PeerStoreConfig {
        if (peerTtl.isNegative() || peerTtl.isZero()) {
            throw new IllegalArgumentException("peer TTL must be positive");
        }
        if (maxTorrents < 1 || maxPeers < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static PeerStoreConfig defaults() {
        return new PeerStoreConfig(DEFAULT_PEER_TTL, DEFAULT_MAX_TORRENTS, DEFAULT_MAX_PEERS, Clock.systemUTC());
    }

    public PeerStoreConfig withClock(Clock newClock) {
        return new PeerStoreConfig(peerTtl, maxTorrents, maxPeers, newClock);
    }

    public PeerStoreConfig withPeerTtl(Duration ttl) {
        return new PeerStoreConfig(ttl, maxTorrents, maxPeers, clock);
    }

    public PeerStoreConfig withLimits(long torrents, long peers) {
        return new PeerStoreConfig(peerTtl, torrents, peers, clock);
    }
}
