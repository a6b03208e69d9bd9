package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.PeerStoreContractTest;
import io.shoal.tracker.testing.RedisServerProcess;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.TimeUnit;

/** The shared peer-store contract, run against a real redis-server. */
class RedisPeerStoreContractTest extends PeerStoreContractTest {

    private static final RedisServerProcess REDIS = RedisServerProcess.shared();

    @BeforeEach
    void emptyRedis() {
        // runs after the suite opened its store; the store's first walk found whatever was there, so walk again
        REDIS.flushAll();
        refreshStats(store);
    }

    @Override
    protected PeerStore newStore(PeerStoreConfig config) {
        return RedisPeerStore.open(REDIS.uri(), config, RedisStoreOptions.defaults());
    }

    /** The Redis store answers stats() from its last walk: walk now. */
    @Override
    protected void refreshStats(PeerStore peerStore) {
        try {
            ((RedisPeerStore) peerStore).refreshStats().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("walking the Redis store failed", e);
        }
    }
}
