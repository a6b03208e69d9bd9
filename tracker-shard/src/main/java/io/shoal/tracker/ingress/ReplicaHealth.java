package io.shoal.tracker.ingress;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of every replica address the ingress knows, kept across route changes: a new epoch or a new DNS
 * answer rebuilds the routes, but a replica that was failing a moment ago is still failing.
 */
final class ReplicaHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaHealth.class);
    /** Failures in a row that take a replica out; below it, lost datagrams are put down to chance. */
    static final int FAILURES_TO_EJECT = 3;

    private final ConcurrentHashMap<InetSocketAddress, Replica> replicas = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long firstBackoffNanos;
    private final long maxBackoffNanos;

    ReplicaHealth(LongSupplier nanoClock, Duration firstBackoff, Duration maxBackoff) {
        this.nanoClock = nanoClock;
        this.firstBackoffNanos = firstBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
    }

    static ReplicaHealth standard() {
        return new ReplicaHealth(System::nanoTime, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    Replica replica(InetSocketAddress address) {
        return replicas.computeIfAbsent(address, Replica::new);
    }

    long now() {
        return nanoClock.getAsLong();
    }

    void failed(Replica r) {
        if (r.failed(now(), firstBackoffNanos, maxBackoffNanos)) {
            LOG.warn("Shard replica {} stopped answering; out of rotation for a while", r.address);
        }
    }

    /** The replica known by this address, or null. */
    Replica known(InetSocketAddress address) {
        return replicas.get(address);
    }

    /** Forgets addresses no route uses any more, so the table stays as small as the routes. */
    void retainOnly(Collection<InetSocketAddress> inUse) {
        Set<InetSocketAddress> keep = new HashSet<>(inUse);
        replicas.keySet().retainAll(keep);
    }
}
