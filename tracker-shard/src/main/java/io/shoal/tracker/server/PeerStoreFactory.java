package io.shoal.tracker.server;

import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.memory.MemoryPeerStore;

/** The one place that decides which peer store a shard runs on. */
public final class PeerStoreFactory {
    private PeerStoreFactory() {
    }

    public static PeerStore create(ShardConfig config) {
        return new MemoryPeerStore(config.peerStoreConfig());
    }
}
