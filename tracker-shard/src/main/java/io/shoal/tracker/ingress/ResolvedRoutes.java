package io.shoal.tracker.ingress;

import io.shoal.routing.SlotMap;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Routes} of one slot map joined with one set of DNS answers. Immutable apart from replica health. */
final class ResolvedRoutes implements Routes {
    private final SlotMap map;
    private final Replica[][] replicas;
    private final List<List<InetSocketAddress>> addresses;
    private final AtomicInteger[] next;
    private final ReplicaHealth health;

    ResolvedRoutes(SlotMap map, List<List<InetSocketAddress>> resolved, ReplicaHealth health) {
        if (resolved.size() != map.shardCount()) {
            throw new IllegalArgumentException("one address list per shard is needed");
        }
        this.map = map;
        this.health = health;
        int n = map.shardCount();
        this.replicas = new Replica[n][];
        this.next = new AtomicInteger[n];
        List<List<InetSocketAddress>> copy = new ArrayList<>(n);
        for (int shard = 0; shard < n; shard++) {
            List<InetSocketAddress> list = List.copyOf(resolved.get(shard));
            copy.add(list);
            replicas[shard] = new Replica[list.size()];
            for (int i = 0; i < list.size(); i++) {
                replicas[shard][i] = health.replica(list.get(i));
            }
            next[shard] = new AtomicInteger();
        }
        this.addresses = Collections.unmodifiableList(copy);
    }

    SlotMap slotMap() {
        return map;
    }

    List<List<InetSocketAddress>> addresses() {
        return addresses;
    }

    @Override
    public long epoch() {
        return map.epoch();
    }

    @Override
    public int shardCount() {
        return replicas.length;
    }

    @Override
    public int shardOfSlot(int slot) {
        return map.shardOfSlot(slot);
    }

    @Override
    public InetSocketAddress pick(int shard) {
        Replica[] rs = replicas[shard];
        int n = rs.length;
        if (n == 0) {
            return null;
        }
        int start = next[shard].getAndIncrement() & Integer.MAX_VALUE;
        long now = health.now();
        for (int i = 0; i < n; i++) {
            Replica r = rs[(start + i) % n];
            if (r.isAvailable(now)) {
                return r.address;
            }
        }
        return null;
    }

    @Override
    public List<InetSocketAddress> replicas(int shard) {
        return addresses.get(shard);
    }

    /** Replicas of {@code shard} currently in rotation. */
    int available(int shard) {
        long now = health.now();
        int n = 0;
        for (Replica r : replicas[shard]) {
            if (r.isAvailable(now)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void failed(int shard, InetSocketAddress replica) {
        Replica r = find(shard, replica);
        if (r != null) {
            health.failed(r);
        }
    }

    @Override
    public void answered(int shard, InetSocketAddress replica) {
        Replica r = find(shard, replica);
        if (r != null) {
            r.answered();
        }
    }

    /** By shard first (the address object pick handed out, so usually an identity match), else by address alone. */
    private Replica find(int shard, InetSocketAddress address) {
        if (shard >= 0 && shard < replicas.length) {
            for (Replica r : replicas[shard]) {
                if (r.address == address) {
                    return r;
                }
            }
        }
        return health.known(address);
    }
}
