package io.shoal.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Computes the slot map for a new shard count that moves the fewest slots, as Redis Cluster does
 * with its hash slots: every surviving shard keeps as much of what it owns as its even share allows,
 * and only the excess (plus everything of removed shards) changes owner. Surviving shards keep their
 * endpoints; new shards get theirs from the caller.
 */
public final class Rebalancer {

    private Rebalancer() {
    }

    /** Rebalances; shards added by this step have no endpoint. */
    public static SlotMap rebalance(SlotMap current, int newShardCount) {
        return rebalance(current, newShardCount, shard -> null);
    }

    /**
     * The next map for {@code newShardCount} shards, epoch + 1. Shard {@code k} that exists in {@code current}
     * keeps its endpoint; a new shard {@code k} gets {@code newEndpoints.apply(k)} (null for none).
     */
    public static SlotMap rebalance(SlotMap current, int newShardCount, IntFunction<String> newEndpoints) {
        if (newShardCount < 1 || newShardCount > Slots.COUNT) {
            throw new IllegalArgumentException("shard count must be 1.." + Slots.COUNT);
        }
        List<List<SlotRange>> kept = new ArrayList<>();
        List<SlotRange> pool = new ArrayList<>();
        // What each shard still lacks after keeping its share: the budget its kept ranges did not use.
        int[] deficits = new int[newShardCount];
        for (int shard = 0; shard < newShardCount; shard++) {
            List<SlotRange> keep = new ArrayList<>();
            int budget = SlotMap.targetSize(shard, newShardCount);
            if (shard < current.shardCount()) {
                // Keep the lowest slots: ranges stay contiguous and the choice is deterministic.
                for (SlotRange r : current.shards().get(shard).ranges()) {
                    if (budget >= r.size()) {
                        keep.add(r);
                        budget -= r.size();
                    } else if (budget > 0) {
                        keep.add(new SlotRange(r.first(), r.first() + budget - 1));
                        pool.add(new SlotRange(r.first() + budget, r.last()));
                        budget = 0;
                    } else {
                        pool.add(r);
                    }
                }
            }
            deficits[shard] = budget;
            kept.add(keep);
        }
        for (int shard = newShardCount; shard < current.shardCount(); shard++) {
            pool.addAll(current.shards().get(shard).ranges());
        }
        pool.sort(null);

        int poolIndex = 0;
        int poolOffset = 0;
        List<ShardSlots> result = new ArrayList<>(newShardCount);
        for (int shard = 0; shard < newShardCount; shard++) {
            List<SlotRange> ranges = kept.get(shard);
            int deficit = deficits[shard];
            while (deficit > 0) {
                SlotRange r = pool.get(poolIndex);
                int first = r.first() + poolOffset;
                int take = Math.min(deficit, r.last() - first + 1);
                ranges.add(new SlotRange(first, first + take - 1));
                deficit -= take;
                poolOffset += take;
                if (first + take - 1 == r.last()) {
                    poolIndex++;
                    poolOffset = 0;
                }
            }
            String endpoint = shard < current.shardCount()
                    ? current.endpoint(shard)
                    : newEndpoints.apply(shard);
            result.add(new ShardSlots(shard, ranges, endpoint));
        }
        return new SlotMap(current.epoch() + 1, result);
    }

    /** The slot ranges whose owner differs between two maps, in slot order. */
    public static List<SlotMove> moves(SlotMap from, SlotMap to) {
        List<SlotMove> moves = new ArrayList<>();
        int runStart = -1;
        int runFrom = -1;
        int runTo = -1;
        for (int slot = 0; slot <= Slots.COUNT; slot++) {
            int a = slot < Slots.COUNT ? from.shardOfSlot(slot) : -1;
            int b = slot < Slots.COUNT ? to.shardOfSlot(slot) : -1;
            boolean moving = slot < Slots.COUNT && a != b;
            if (runStart >= 0 && (!moving || a != runFrom || b != runTo)) {
                moves.add(new SlotMove(new SlotRange(runStart, slot - 1), runFrom, runTo));
                runStart = -1;
            }
            if (moving && runStart < 0) {
                runStart = slot;
                runFrom = a;
                runTo = b;
            }
        }
        return moves;
    }
}
