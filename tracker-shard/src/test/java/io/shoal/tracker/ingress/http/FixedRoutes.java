package io.shoal.tracker.ingress.http;

import io.shoal.routing.SlotMap;
import io.shoal.tracker.ingress.Routes;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes for tests: a slot map and fixed replica addresses per shard. Replicas reported failed are skipped by
 * {@link #pick} until they answer again (or until none is left: then null). Records what it was told.
 */
final class FixedRoutes implements Routes {
    private final SlotMap map;
    private final List<List<InetSocketAddress>> replicas;
    private final AtomicInteger next = new AtomicInteger();
    final Set<InetSocketAddress> failed = ConcurrentHashMap.newKeySet();
    final AtomicInteger failures = new AtomicInteger();

    FixedRoutes(SlotMap map, List<List<InetSocketAddress>> replicas) {
        if (replicas.size() != map.shardCount()) {
            throw new IllegalArgumentException("one replica list per shard");
        }
        this.map = map;
        this.replicas = replicas;
    }

    @Override
    public long epoch() {
        return map.epoch();
    }

    @Override
    public int shardCount() {
        return map.shardCount();
    }

    @Override
    public int shardOfSlot(int slot) {
        return map.shardOfSlot(slot);
    }

    @Override
    public InetSocketAddress pick(int shard) {
        List<InetSocketAddress> all = replicas.get(shard);
        int start = Math.floorMod(next.getAndIncrement(), all.size());
        for (int i = 0; i < all.size(); i++) {
            InetSocketAddress a = all.get((start + i) % all.size());
            if (!failed.contains(a)) {
                return a;
            }
        }
        return null;
    }

    @Override
    public List<InetSocketAddress> replicas(int shard) {
        return replicas.get(shard);
    }

    @Override
    public void failed(int shard, InetSocketAddress replica) {
        failures.incrementAndGet();
        failed.add(replica);
    }

    @Override
    public void answered(int shard, InetSocketAddress replica) {
        failed.remove(replica);
    }
}
