package io.shoal.tracker.ingress;

import java.time.Duration;

/**
 * Settings of the ingress's UDP side.
 *
 * @param forwardTimeout    how long a forwarded request waits for its shard before the client gets an error
 * @param maxPending        most requests in flight to shards over the whole process; more are refused with an error
 * @param connectionIdKey   the 16-byte key shared with the shards
 * @param connectionIdGrace how long past BEP 15's two minutes a connection id is accepted
 */
public record UdpIngressSettings(Duration forwardTimeout, int maxPending, byte[] connectionIdKey,
                                 Duration connectionIdGrace) {
    public UdpIngressSettings {
        if (forwardTimeout == null || forwardTimeout.toMillis() < 10 || forwardTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("forward timeout must be between 10ms and 1m");
        }
        if (maxPending < 1 || maxPending > PendingTable.MAX_CAPACITY) {
            throw new IllegalArgumentException("max pending must be 1.." + PendingTable.MAX_CAPACITY);
        }
        if (connectionIdKey == null || connectionIdKey.length != 16) {
            throw new IllegalArgumentException("connection id key must be 16 bytes");
        }
        connectionIdKey = connectionIdKey.clone();
    }

    @Override
    public byte[] connectionIdKey() {
        return connectionIdKey.clone();
    }

    @Override
    public String toString() {
        return "UdpIngressSettings[forwardTimeout=" + forwardTimeout + ", maxPending=" + maxPending + "]";
    }
}
