package io.shoal.tracker.ingress;

import java.net.InetSocketAddress;

/**
 * One resolved address of a shard and what the ingress has learnt about it. A replica is taken out of rotation
 * after {@link ReplicaHealth#FAILURES_TO_EJECT} failures in a row (one lost datagram must not cost a shard its
 * only replica) and offered again when its back-off has passed; one more failure then takes it out for twice as
 * long, up to a cap, and one answer puts it back for good.
 *
 * <p>Read on every request from several event loops; written rarely. The fields are volatile and the failure
 * path is synchronized, so the common path (an answer from a healthy replica) is one volatile read.
 */
final class Replica {
    final InetSocketAddress address;
    private volatile int failures;
    private volatile long outUntilNanos;
    private long backoffNanos;

    Replica(InetSocketAddress address) {
        this.address = address;
    }

    boolean isAvailable(long nowNanos) {
        return failures < ReplicaHealth.FAILURES_TO_EJECT || nowNanos - outUntilNanos >= 0;
    }

    /** Whether the replica is out of rotation at this moment. */
    boolean isOut(long nowNanos) {
        return !isAvailable(nowNanos);
    }

    void answered() {
        if (failures != 0) {
            synchronized (this) {
                failures = 0;
                backoffNanos = 0;
            }
        }
    }

    /** Returns true when this failure took the replica out of rotation. */
    synchronized boolean failed(long nowNanos, long firstBackoffNanos, long maxBackoffNanos) {
        int f = failures + 1;
        failures = f;
        if (f < ReplicaHealth.FAILURES_TO_EJECT) {
            return false;
        }
        if (nowNanos - outUntilNanos < 0) {
            return false;   // already out: requests sent before it went out are still timing out
        }
        backoffNanos = backoffNanos == 0 ? firstBackoffNanos : Math.min(maxBackoffNanos, backoffNanos * 2);
        outUntilNanos = nowNanos + backoffNanos;
        return true;
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
