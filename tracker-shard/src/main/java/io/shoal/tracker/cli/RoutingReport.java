package io.shoal.tracker.cli;

import io.shoal.routing.Rebalancer;
import io.shoal.routing.ShardSlots;
import io.shoal.routing.SlotMap;
import io.shoal.routing.SlotMove;
import io.shoal.routing.SlotRange;
import io.shoal.routing.Slots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Human-readable lines about slot maps, for the {@code routing} commands. Pure. */
final class RoutingReport {

    /** Ranges listed per line before the rest are only counted. */
    static final int RANGES_SHOWN = 4;

    private RoutingReport() {
    }

    /** What changes from {@code from} to {@code to}: a total line, then one line per (old shard, new shard) pair. */
    static List<String> moves(SlotMap from, SlotMap to) {
        List<SlotMove> moves = Rebalancer.moves(from, to);
        Map<Long, List<SlotRange>> byPair = new TreeMap<>();
        int total = 0;
        for (SlotMove m : moves) {
            byPair.computeIfAbsent(((long) m.fromShard() << 32) | m.toShard(), k -> new ArrayList<>()).add(m.slots());
            total += m.slots().size();
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "epoch %d -> %d, shards %d -> %d: %d of %d slots move (%s)",
                from.epoch(), to.epoch(), from.shardCount(), to.shardCount(), total, Slots.COUNT, percent(total)));
        for (Map.Entry<Long, List<SlotRange>> e : byPair.entrySet()) {
            int fromShard = (int) (e.getKey() >>> 32);
            int toShard = (int) (long) e.getKey();
            int slots = e.getValue().stream().mapToInt(SlotRange::size).sum();
            lines.add(String.format(Locale.ROOT, "  shard %d -> shard %d: %d slots in %s", fromShard, toShard, slots,
                    ranges(e.getValue())));
        }
        int removed = from.shardCount() - to.shardCount();
        if (removed == 1) {
            lines.add(String.format(Locale.ROOT, "  shard %d owns nothing now and can be removed once its slots "
                    + "have been copied", to.shardCount()));
        } else if (removed > 1) {
            lines.add(String.format(Locale.ROOT, "  shards %d..%d own nothing now and can be removed once their "
                    + "slots have been copied", to.shardCount(), from.shardCount() - 1));
        }
        return lines;
    }

    /** What a map says: epoch, each shard's share, ranges and endpoint, and whether an ingress can route from it. */
    static List<String> summary(SlotMap map) {
        List<String> lines = new ArrayList<>();
        List<Integer> missing = map.shardsWithoutEndpoint();
        lines.add(String.format(Locale.ROOT, "epoch %d, %d shard%s, %s", map.epoch(), map.shardCount(),
                map.shardCount() == 1 ? "" : "s",
                missing.isEmpty() ? "every shard has an endpoint"
                        : missing.size() + " without endpoint (an ingress refuses this map)"));
        for (ShardSlots s : map.shards()) {
            lines.add(String.format(Locale.ROOT, "  shard %d: %d slots (%s) in %s, endpoint %s", s.shard(),
                    s.slotCount(), percent(s.slotCount()), ranges(s.ranges()),
                    s.endpoint() == null ? "none" : s.endpoint()));
        }
        return lines;
    }

    static String ranges(List<SlotRange> ranges) {
        if (ranges.isEmpty()) {
            return "no range";
        }
        StringBuilder out = new StringBuilder();
        out.append(ranges.size()).append(ranges.size() == 1 ? " range " : " ranges ");
        for (int i = 0; i < Math.min(RANGES_SHOWN, ranges.size()); i++) {
            out.append(i == 0 ? "" : ", ").append(ranges.get(i).first()).append("..").append(ranges.get(i).last());
        }
        if (ranges.size() > RANGES_SHOWN) {
            out.append(", ...");
        }
        return out.toString();
    }

    private static String percent(int slots) {
        return String.format(Locale.ROOT, "%.2f%%", 100.0 * slots / Slots.COUNT);
    }
}
