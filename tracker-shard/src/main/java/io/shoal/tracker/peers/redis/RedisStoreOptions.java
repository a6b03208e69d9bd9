package io.shoal.tracker.peers.redis;

import java.time.Duration;

/**
 * Settings of the Redis connection and of the store's background work.
 *
 * @param commandTimeout      longest wait for any Redis reply; a request fails with "peer store unavailable" after it
 * @param connectTimeout      longest wait for one TCP connect to Redis
 * @param requestQueueSize    most commands queued or in flight on the connection; more fail at once (back pressure)
 * @param healthCheckInterval how often readiness is re-checked with a PING (and a lost connection re-established)
 * @param statsInterval       how often the totals of {@code stats()} are refreshed by walking every slot index;
 *                            stretched automatically so that walking takes at most a twentieth of the time
 * @param keyTtlMargin        added to the peer TTL for the keys' own expiry, so that idle torrents vanish by
 *                            themselves while clock skew between shards never drops a live peer
 * @param scanCount           COUNT hint of the SCAN and SSCAN calls of a walk (keys looked at per call)
 * @param walkBatch           torrents counted per walk script call (bounds how long one call blocks Redis)
 */
public record RedisStoreOptions(
        Duration commandTimeout,
        Duration connectTimeout,
        int requestQueueSize,
        Duration healthCheckInterval,
        Duration statsInterval,
        Duration keyTtlMargin,
        int scanCount,
        int walkBatch) {

    public RedisStoreOptions {
        positive(commandTimeout, "command timeout");
        positive(connectTimeout, "connect timeout");
        positive(healthCheckInterval, "health check interval");
        positive(statsInterval, "stats interval");
        if (keyTtlMargin.isNegative()) {
            throw new IllegalArgumentException("key TTL margin must not be negative");
        }
        if (requestQueueSize < 1 || scanCount < 1 || walkBatch < 1 || walkBatch > 1000) {
            throw new IllegalArgumentException("queue size, scan count must be positive; walk batch 1..1000");
        }
    }

    public static RedisStoreOptions defaults() {
        return new RedisStoreOptions(
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                65_536,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                1000,
                200);
    }

    public RedisStoreOptions withCommandTimeout(Duration timeout) {
        return new RedisStoreOptions(timeout, connectTimeout, requestQueueSize, healthCheckInterval, statsInterval,
                keyTtlMargin, scanCount, walkBatch);
    }

    public RedisStoreOptions withConnectTimeout(Duration timeout) {
        return new RedisStoreOptions(commandTimeout, timeout, requestQueueSize, healthCheckInterval, statsInterval,
                keyTtlMargin, scanCount, walkBatch);
    }

    public RedisStoreOptions withRequestQueueSize(int size) {
        return new RedisStoreOptions(commandTimeout, connectTimeout, size, healthCheckInterval, statsInterval,
                keyTtlMargin, scanCount, walkBatch);
    }

    public RedisStoreOptions withHealthCheckInterval(Duration interval) {
        return new RedisStoreOptions(commandTimeout, connectTimeout, requestQueueSize, interval, statsInterval,
                keyTtlMargin, scanCount, walkBatch);
    }

    public RedisStoreOptions withStatsInterval(Duration interval) {
        return new RedisStoreOptions(commandTimeout, connectTimeout, requestQueueSize, healthCheckInterval, interval,
                keyTtlMargin, scanCount, walkBatch);
    }

    public RedisStoreOptions withKeyTtlMargin(Duration margin) {
        return new RedisStoreOptions(commandTimeout, connectTimeout, requestQueueSize, healthCheckInterval,
                statsInterval, margin, scanCount, walkBatch);
    }

    public RedisStoreOptions withWalk(int newScanCount, int newWalkBatch) {
        return new RedisStoreOptions(commandTimeout, connectTimeout, requestQueueSize, healthCheckInterval,
                statsInterval, keyTtlMargin, newScanCount, newWalkBatch);
    }

    private static void positive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}
