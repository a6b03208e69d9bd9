package io.shoal.tracker.peers;

import java.time.Clock;
import java.time.Duration;

/**
 * Settings every peer store honours.
 *
 * @param peerTtl            how long a peer stays after its last announce
 * @param maxTorrents        the most torrents kept, peerless ones kept for their download count included; an
 *                           announce that would add one more is refused unless a peerless one can give way
 * @param maxPeers           the most peers kept over all torrents; an announce that would add one more is refused
 * @param clock              time source (tests move it)
 * @param downloadsRetention how long a torrent whose last peer left keeps its download count; zero keeps none
 */
public record PeerStoreConfig(Duration peerTtl, long maxTorrents, long maxPeers, Clock clock,
                              Duration downloadsRetention) {

    public static final Duration DEFAULT_PEER_TTL = Duration.ofMinutes(45);
    public static final long DEFAULT_MAX_TORRENTS = 5_000_000;
    public static final long DEFAULT_MAX_PEERS = 50_000_000;
    public static final Duration DEFAULT_DOWNLOADS_RETENTION = Duration.ofDays(7);

    public PeerStoreConfig {
        if (peerTtl.isNegative() || peerTtl.isZero()) {
            throw new IllegalArgumentException("peer TTL must be positive");
        }
        if (maxTorrents < 1 || maxPeers < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (downloadsRetention == null || downloadsRetention.isNegative()) {
            throw new IllegalArgumentException("downloads retention must not be negative");
        }
    }

    /** With the default downloads retention. */
    public PeerStoreConfig(Duration peerTtl, long maxTorrents, long maxPeers, Clock clock) {
        this(peerTtl, maxTorrents, maxPeers, clock, DEFAULT_DOWNLOADS_RETENTION);
    }

    public static PeerStoreConfig defaults() {
        return new PeerStoreConfig(DEFAULT_PEER_TTL, DEFAULT_MAX_TORRENTS, DEFAULT_MAX_PEERS, Clock.systemUTC());
    }

    public PeerStoreConfig withClock(Clock newClock) {
        return new PeerStoreConfig(peerTtl, maxTorrents, maxPeers, newClock, downloadsRetention);
    }

    public PeerStoreConfig withPeerTtl(Duration ttl) {
        return new PeerStoreConfig(ttl, maxTorrents, maxPeers, clock, downloadsRetention);
    }

    public PeerStoreConfig withLimits(long torrents, long peers) {
        return new PeerStoreConfig(peerTtl, torrents, peers, clock, downloadsRetention);
    }

    public PeerStoreConfig withDownloadsRetention(Duration retention) {
        return new PeerStoreConfig(peerTtl, maxTorrents, maxPeers, clock, retention);
    }
}
