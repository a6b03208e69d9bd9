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
    /** Redis keeps 16 databases by default. */
    private static final int DATABASES = 16;

    /** Stores sharing a database share their swarms: each store a test opens gets a database of its own. */
    private int nextDatabase;

    @BeforeEach
    void emptyRedis() {
        // runs after the suite opened its store; the store's first walk found whatever was there, so walk again
        REDIS.flushAll(); // every database
        refreshStats(store);
    }

    @Override
    protected PeerStore newStore(PeerStoreConfig config) {
        if (nextDatabase == DATABASES) {
            throw new IllegalStateException("a test opened more stores than Redis has databases");
        }
        return RedisPeerStore.open(REDIS.uri() + "/" + nextDatabase++, config, RedisStoreOptions.defaults());
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
