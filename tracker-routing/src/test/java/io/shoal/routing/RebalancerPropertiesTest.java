package io.shoal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link Rebalancer} over seeded random slot maps: not only the even maps a new cluster
 * starts from, but fragmented, lopsided ones such as hand edits and long scaling histories leave behind.
 * Each failure message carries the seed, so a failing case can be replayed alone.
 */
class RebalancerPropertiesTest {

    private static final int CASES = 200;

    @Test
    void everySlotOwnedOnceSharesEvenMovementMinimalAndDeterministic() {
        for (int c = 0; c < CASES; c++) {
            long seed = 0x5A0A1L * 1_000 + c;
            Random random = new Random(seed);
            SlotMap before = randomMap(random);
            int to = randomShardCount(random);
            String context = "seed " + seed + ": " + before.shardCount() + " -> " + to + " shards";

            SlotMap after = Rebalancer.rebalance(before, to, k -> "new-" + k + ":6970");

            assertThat(after.epoch()).as(context).isEqualTo(before.epoch() + 1);
            assertThat(after.shardCount()).as(context).isEqualTo(to);
            int[] owned = ownedCounts(after, to);
            int[] fromRanges = new int[to];
            for (ShardSlots s : after.shards()) {
                fromRanges[s.shard()] = s.slotCount();
            }
            // Counting slot by slot and counting the ranges agree only if no slot is owned twice or not at all.
            assertThat(fromRanges).as(context).containsExactly(owned);
            assertThat(java.util.Arrays.stream(owned).sum()).as(context).isEqualTo(Slots.COUNT);
            int base = Slots.COUNT / to;
            for (int shard = 0; shard < to; shard++) {
                assertThat(owned[shard]).as(context + ", shard " + shard).isBetween(base, base + 1);
            }
            assertThat(moved(before, after)).as(context).isEqualTo(movementLowerBound(before, to));
            assertThat(Rebalancer.rebalance(before, to, k -> "new-" + k + ":6970")).as(context).isEqualTo(after);
            assertThat(SlotMap.fromJson(after.toJson())).as(context).isEqualTo(after);
            for (int shard = 0; shard < to; shard++) {
                String expected = shard < before.shardCount() ? before.endpoint(shard) : "new-" + shard + ":6970";
                assertThat(after.endpoint(shard)).as(context).isEqualTo(expected);
            }

            List<SlotMove> moves = Rebalancer.moves(before, after);
            assertThat(moves.stream().mapToInt(m -> m.slots().size()).sum()).as(context).isEqualTo(moved(before, after));
            int[] ownerBefore = owners(before);
            int[] ownerAfter = owners(after);
            int lookupsWrong = 0;
            for (int slot = 0; slot < Slots.COUNT; slot++) {
                if (after.shardOfSlot(slot) != ownerAfter[slot]) {
                    lookupsWrong++;
                }
            }
            assertThat(lookupsWrong).as(context + ", slots whose lookup disagrees with the ranges").isZero();
            for (SlotMove m : moves) {
                int wrong = 0;
                for (int slot = m.slots().first(); slot <= m.slots().last(); slot++) {
                    if (ownerBefore[slot] != m.fromShard() || ownerAfter[slot] != m.toShard()) {
                        wrong++;
                    }
                }
                assertThat(wrong).as(context + ", slots of " + m + " not moving as it says").isZero();
            }
        }
    }

    @Test
    void aBalancedMapRebalancedToItsOwnSizeMovesNothing() {
        for (int c = 0; c < CASES; c++) {
            long seed = 0xBA1L * 1_000 + c;
            Random random = new Random(seed);
            SlotMap balanced = Rebalancer.rebalance(randomMap(random), randomShardCount(random));
            SlotMap again = Rebalancer.rebalance(balanced, balanced.shardCount());
            assertThat(Rebalancer.moves(balanced, again)).as("seed " + seed).isEmpty();
            assertThat(again.shards()).as("seed " + seed).isEqualTo(balanced.shards());
        }
    }

    @Test
    void longScalingHistoriesStayMinimalAtEveryStep() {
        for (int c = 0; c < 40; c++) {
            long seed = 0x415L * 1_000 + c;
            Random random = new Random(seed);
            SlotMap map = SlotMap.even(randomShardCount(random));
            for (int step = 0; step < 12; step++) {
                int to = randomShardCount(random);
                SlotMap next = Rebalancer.rebalance(map, to);
                assertThat(moved(map, next)).as("seed " + seed + " step " + step).isEqualTo(movementLowerBound(map, to));
                map = next;
            }
            assertThat(map.epoch()).isEqualTo(13);
        }
    }

    /**
     * The fewest slots any map with shares within one of each other can move, from first principles: shard
     * {@code k} can keep at most {@code min(held, share)} slots, every share is {@code base} or {@code base+1}
     * with exactly {@code COUNT % n} extras, and an extra saves a move only on a survivor holding more than
     * {@code base}.
     */
    private static int movementLowerBound(SlotMap before, int to) {
        int base = Slots.COUNT / to;
        int extras = Slots.COUNT % to;
        int keptAtBase = 0;
        int survivorsAboveBase = 0;
        for (int shard = 0; shard < Math.min(to, before.shardCount()); shard++) {
            int held = before.shards().get(shard).slotCount();
            keptAtBase += Math.min(held, base);
            if (held > base) {
                survivorsAboveBase++;
            }
        }
        return Slots.COUNT - keptAtBase - Math.min(extras, survivorsAboveBase);
    }

    private static int moved(SlotMap a, SlotMap b) {
        int[] ownerA = owners(a);
        int[] ownerB = owners(b);
        int n = 0;
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            if (ownerA[slot] != ownerB[slot]) {
                n++;
            }
        }
        return n;
    }

    private static int[] ownedCounts(SlotMap map, int shards) {
        int[] counts = new int[shards];
        for (int owner : owners(map)) {
            counts[owner]++;
        }
        return counts;
    }

    /** The owner of every slot, from the ranges alone (not through the lookup under test elsewhere). */
    private static int[] owners(SlotMap map) {
        int[] owner = new int[Slots.COUNT];
        java.util.Arrays.fill(owner, -1);
        for (ShardSlots s : map.shards()) {
            for (SlotRange r : s.ranges()) {
                for (int slot = r.first(); slot <= r.last(); slot++) {
                    if (owner[slot] >= 0) {
                        throw new AssertionError("slot " + slot + " owned twice in " + map.epoch());
                    }
                    owner[slot] = s.shard();
                }
            }
        }
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            if (owner[slot] < 0) {
                throw new AssertionError("slot " + slot + " has no owner");
            }
        }
        return owner;
    }

    /** Mostly small clusters, sometimes large ones, occasionally the extremes. */
    private static int randomShardCount(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> 1 + random.nextInt(2000);
            case 1 -> 1;
            default -> 1 + random.nextInt(24);
        };
    }

    /**
     * Random cut points split the slots into runs, each run given to a random shard: lopsided shares,
     * fragmented ranges, and sometimes shards that own nothing. Some shards have endpoints, some not.
     */
    private static SlotMap randomMap(Random random) {
        int shards = randomShardCount(random);
        int runs = 1 + random.nextInt(Math.min(Slots.COUNT, shards * (1 + random.nextInt(8))));
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
        cuts.add(0);
        while (cuts.size() < runs) {
            cuts.add(random.nextInt(Slots.COUNT));
        }
        List<List<SlotRange>> ranges = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            ranges.add(new ArrayList<>());
        }
        Integer start = cuts.first();
        while (start != null) {
            Integer next = cuts.higher(start);
            int last = next == null ? Slots.COUNT - 1 : next - 1;
            // A skew towards low shard indices makes some shards hold far more than others.
            int owner = random.nextBoolean() ? random.nextInt(shards) : random.nextInt(1 + random.nextInt(shards));
            ranges.get(owner).add(new SlotRange(start, last));
            start = next;
        }
        List<ShardSlots> list = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            String endpoint = random.nextInt(4) == 0 ? null : "shard-" + i + ".example:" + (6970 + i % 100);
            list.add(new ShardSlots(i, ranges.get(i), endpoint));
        }
        return new SlotMap(1 + random.nextInt(1000), list);
    }
}
