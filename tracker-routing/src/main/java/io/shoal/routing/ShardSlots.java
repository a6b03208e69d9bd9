package io.shoal.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The slot ranges one shard owns, sorted and merged so that equal ownership has one form, and where the
 * shard is reached: {@code endpoint} is {@code host:port} of its internal port (see {@link Endpoint}), or
 * null for a map made without endpoints; null is left out of the JSON form.
 */
@JsonPropertyOrder({"shard", "ranges", "endpoint"})
public record ShardSlots(int shard, List<SlotRange> ranges, @JsonInclude(JsonInclude.Include.NON_NULL) String endpoint) {

    @JsonCreator
    public ShardSlots {
        if (shard < 0) {
            throw new IllegalArgumentException("shard index must not be negative");
        }
        if (ranges == null) {
            throw new IllegalArgumentException("shard " + shard + " has no ranges list");
        }
        ranges = normalise(ranges);
        if (endpoint != null) {
            try {
                Endpoint.parse(endpoint);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("shard " + shard + ": " + e.getMessage(), e);
            }
        }
    }

    /** A shard without an endpoint. */
    public ShardSlots(int shard, List<SlotRange> ranges) {
        this(shard, ranges, null);
    }

    public ShardSlots withEndpoint(String newEndpoint) {
        return new ShardSlots(shard, ranges, newEndpoint);
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
        for (SlotRange r : sorted) {
            if (r == null) {
                throw new IllegalArgumentException("null slot range");
            }
        }
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
