package io.shoal.operator.api.v1alpha1;

/** Who runs a shard's Redis. */
public enum RedisMode {
    /** The operator runs one Redis per shard (StatefulSet and Service). */
    Managed,
    /** Shards use the Redis at {@code redis.url}. */
    External
}
