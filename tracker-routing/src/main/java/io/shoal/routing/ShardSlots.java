package io.shoal.routing;

import java.util.ArrayList;
import java.util.List;

/** The slot ranges one shard owns, sorted and merged so that equal ownership has one form. */
public record ShardSlots(int shard, List<SlotRange> ranges) {

    public ShardSlots {
        if (shard < 0) {
            throw new IllegalArgumentException("shard index must not be negative");
        }
        ranges = normalise(ranges);
    }

    public int slotCount() {
        int n = 0;
        for (SlotRange r : ranges) {
            n += r.size();
        }
        return n;
    }

    /** Sorts ranges and merges adjacent ones; overlapping ranges are an error. */
    static List<SlotRange> normalise(List<SlotRange> input) {
        List<SlotRange> sorted = new ArrayList<>(input);
        sorted.sort(null);
        List<SlotRange> out = new ArrayList<>(sorted.size());
        for (SlotRange r : sorted) {
            if (!out.isEmpty()) {
                SlotRange prev = out.get(out.size() - 1);
                if (r.first() <= prev.last()) {
                    throw new IllegalArgumentException("overlapping slot ranges " + prev + " and " + r);
                }
                if (r.first() == prev.last() + 1) {
                    out.set(out.size() - 1, new SlotRange(prev.first(), r.last()));
                    continue;
                }
            }
            out.add(r);
        }
        return List.copyOf(out);
    }
}
