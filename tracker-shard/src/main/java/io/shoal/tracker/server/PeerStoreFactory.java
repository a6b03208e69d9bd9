package io.shoal.tracker.server;

import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.memory.MemoryPeerStore;
import io.shoal.tracker.peers.redis.RedisPeerStore;
import io.shoal.tracker.peers.redis.RedisStoreOptions;

/** The one place that decides which peer store a shard runs on. */
public final class PeerStoreFactory {
    private PeerStoreFactory() {
    }

    /**
     * Redis when a URI is configured, else memory. A Redis that is down at start gives a shard that starts
     * unready and becomes ready when Redis answers, as it would after an outage.
     */
    public static PeerStore create(ShardConfig config) {
        if (config.usesRedis()) {
            RedisStoreOptions options = RedisStoreOptions.defaults().withCommandTimeout(config.redisTimeout());
            return RedisPeerStore.open(config.redisUri(), config.peerStoreConfig(), options);
        }
        return new MemoryPeerStore(config.peerStoreConfig());
    }
}
