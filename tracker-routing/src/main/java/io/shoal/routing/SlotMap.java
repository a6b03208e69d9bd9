package io.shoal.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Which shard owns each slot, where each shard is reached, and the epoch of that assignment. Every slot
 * is owned by exactly one shard; shards are numbered 0..n-1. Immutable; a change makes a new map with a
 * greater epoch.
 *
 * <p>The JSON form (the routing document, also the {@code routing.json} key of the cluster's
 * {@code <cluster>-routing} ConfigMap):
 *
 * <pre>{@code
 * {"epoch":3,"shards":[
 *   {"shard":0,"ranges":[[0,21845]],"endpoint":"shoal-shard-0:6970"},
 *   {"shard":1,"ranges":[[21846,43690]],"endpoint":"shoal-shard-1:6970"},
 *   {"shard":2,"ranges":[[43691,65535]],"endpoint":"[fd00::12]:6970"}]}
 * }</pre>
 *
 * {@code epoch} is at least 1; {@code ranges} are inclusive {@code [first,last]} slot pairs; {@code endpoint}
 * is optional per shard ({@link Endpoint}). Unknown fields, gaps, overlaps and bad endpoints are refused.
 * See {@code tracker-routing/README.md}.
 */
public final class SlotMap {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final long epoch;
    private final List<ShardSlots> shards;
    // Range starts in slot order with their owners: a lookup is one binary search.
    private final int[] starts;
    private final int[] owners;

    /** Longest routing document {@link #fromJson} reads: far above 65,536 one-slot shards with long names. */
    public static final int MAX_JSON_CHARS = 16 * 1024 * 1024;

    @JsonCreator
    public SlotMap(@JsonProperty("epoch") long epoch, @JsonProperty("shards") List<ShardSlots> shards) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch starts at 1");
        }
        if (shards == null || shards.isEmpty()) {
            throw new IllegalArgumentException("a slot map has at least one shard");
        }
        List<ShardSlots> sorted = new ArrayList<>(shards);
        if (sorted.contains(null)) {
            throw new IllegalArgumentException("null shard entry");
        }
        sorted.sort((a, b) -> Integer.compare(a.shard(), b.shard()));
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).shard() != i) {
                throw new IllegalArgumentException("shards must be numbered 0.." + (sorted.size() - 1));
            }
        }
        this.epoch = epoch;
        this.shards = List.copyOf(sorted);

        int[] owner = new int[Slots.COUNT];
        Arrays.fill(owner, -1);
        for (ShardSlots s : sorted) {
            for (SlotRange r : s.ranges()) {
                for (int slot = r.first(); slot <= r.last(); slot++) {
                    if (owner[slot] >= 0) {
                        throw new IllegalArgumentException("slot " + slot + " is owned by shards "
                                + owner[slot] + " and " + s.shard());
                    }
                    owner[slot] = s.shard();
                }
            }
        }
        List<Integer> runStarts = new ArrayList<>();
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            if (owner[slot] < 0) {
                throw new IllegalArgumentException("slot " + slot + " has no owner");
            }
            if (slot == 0 || owner[slot] != owner[slot - 1]) {
                runStarts.add(slot);
            }
        }
        starts = new int[runStarts.size()];
        owners = new int[runStarts.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = runStarts.get(i);
            owners[i] = owner[starts[i]];
        }
    }

    /** Slots split as evenly as possible in contiguous blocks: the map of a new cluster. */
    public static SlotMap even(int shardCount) {
        return even(shardCount, shard -> null);
    }

    /**
     * An even map whose shard {@code k} is reached at {@code endpoints.apply(k)} (null for none).
     */
    public static SlotMap even(int shardCount, IntFunction<String> endpoints) {
        if (shardCount < 1 || shardCount > Slots.COUNT) {
            throw new IllegalArgumentException("shard count must be 1.." + Slots.COUNT);
        }
        List<ShardSlots> shards = new ArrayList<>(shardCount);
        int next = 0;
        for (int i = 0; i < shardCount; i++) {
            int size = targetSize(i, shardCount);
            shards.add(new ShardSlots(i, List.of(new SlotRange(next, next + size - 1)), endpoints.apply(i)));
            next += size;
        }
        return new SlotMap(1, shards);
    }

    /** Slots shard {@code index} holds when {@code shardCount} shards share them evenly. */
    static int targetSize(int index, int shardCount) {
        int base = Slots.COUNT / shardCount;
        return base + (index < Slots.COUNT % shardCount ? 1 : 0);
    }

    @JsonProperty("epoch")
    public long epoch() {
        return epoch;
    }

    @JsonProperty("shards")
    public List<ShardSlots> shards() {
        return shards;
    }

    @JsonIgnore
    public int shardCount() {
        return shards.size();
    }

    /** Endpoint of {@code shard}, null if the map gives none. */
    public String endpoint(int shard) {
        return shards.get(shard).endpoint();
    }

    /** Shards that have no endpoint, in order: a map that should route traffic needs this empty. */
    public List<Integer> shardsWithoutEndpoint() {
        List<Integer> missing = new ArrayList<>();
        for (ShardSlots s : shards) {
            if (s.endpoint() == null) {
                missing.add(s.shard());
            }
        }
        return missing;
    }

    public int shardOfSlot(int slot) {
        if (slot < 0 || slot >= Slots.COUNT) {
            throw new IllegalArgumentException("slot out of range: " + slot);
        }
        int i = Arrays.binarySearch(starts, slot);
        return owners[i >= 0 ? i : -i - 2];
    }

    public int shardOf(byte[] infoHash) {
        return shardOfSlot(Slots.of(infoHash));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates a slot map; any gap, overlap or unknown field is an IllegalArgumentException. */
    public static SlotMap fromJson(String json) {
        if (json == null) {
            throw new IllegalArgumentException("invalid slot map: no document");
        }
        if (json.length() > MAX_JSON_CHARS) {
            throw new IllegalArgumentException("invalid slot map: longer than " + MAX_JSON_CHARS + " characters");
        }
        try {
            return JSON.readValue(json, SlotMap.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("invalid slot map: " + cause.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotMap m && m.epoch == epoch && m.shards.equals(shards);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch) * 31 + shards.hashCode();
    }

    @Override
    public String toString() {
        return "SlotMap{epoch=" + epoch + ", shards=" + shards + "}";
    }
}
