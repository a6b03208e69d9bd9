package io.shoal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RebalancerTest {

    @ParameterizedTest
    @CsvSource({"1,2", "2,3", "3,4", "4,2", "5,1", "2,10", "10,7", "7,7", "3,64"})
    void movesOnlyTheUnavoidableSlotsAndEndsEven(int from, int to) {
        SlotMap before = SlotMap.even(from);
        SlotMap after = Rebalancer.rebalance(before, to);

        assertThat(after.epoch()).isEqualTo(before.epoch() + 1);
        assertThat(after.shardCount()).isEqualTo(to);
        int[] counts = new int[to];
        int moved = 0;
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            counts[after.shardOfSlot(slot)]++;
            if (after.shardOfSlot(slot) != before.shardOfSlot(slot)) {
                moved++;
            }
        }
        for (int shard = 0; shard < to; shard++) {
            assertThat(counts[shard]).isEqualTo(SlotMap.targetSize(shard, to));
        }
        // The least any assignment can move: whatever a shard holds above its new share, plus all
        // slots of removed shards.
        int lowerBound = 0;
        for (int shard = 0; shard < from; shard++) {
            int held = before.shards().get(shard).slotCount();
            lowerBound += shard < to ? Math.max(0, held - SlotMap.targetSize(shard, to)) : held;
        }
        assertThat(moved).isEqualTo(lowerBound);

        List<SlotMove> moves = Rebalancer.moves(before, after);
        assertThat(moves.stream().mapToInt(m -> m.slots().size()).sum()).isEqualTo(moved);
        for (SlotMove m : moves) {
            assertThat(before.shardOfSlot(m.slots().first())).isEqualTo(m.fromShard());
            assertThat(after.shardOfSlot(m.slots().last())).isEqualTo(m.toShard());
        }
    }

    @ParameterizedTest
    @CsvSource({"3,5,2", "8,3,6"})
    void repeatedRebalancingStaysValid(int a, int b, int c) {
        SlotMap map = Rebalancer.rebalance(Rebalancer.rebalance(SlotMap.even(a), b), c);
        assertThat(map.shardCount()).isEqualTo(c);
        assertThat(SlotMap.fromJson(map.toJson())).isEqualTo(map);
        assertThat(Rebalancer.moves(map, map)).isEmpty();
    }

    @Test
    void survivorsKeepTheirEndpointsAndNewShardsGetTheCallers() {
        SlotMap before = SlotMap.even(3, k -> "shard-" + k + ":6970");
        SlotMap grown = Rebalancer.rebalance(before, 5, k -> "new-" + k + ":6970");
        assertThat(grown.shards()).extracting(ShardSlots::endpoint).containsExactly(
                "shard-0:6970", "shard-1:6970", "shard-2:6970", "new-3:6970", "new-4:6970");
        SlotMap shrunk = Rebalancer.rebalance(grown, 2, k -> {
            throw new AssertionError("no shard is new");
        });
        assertThat(shrunk.shards()).extracting(ShardSlots::endpoint).containsExactly("shard-0:6970", "shard-1:6970");
        assertThat(Rebalancer.rebalance(before, 4).shardsWithoutEndpoint()).containsExactly(3);
    }
}
