package io.shoal.operator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.routing.Rebalancer;
import io.shoal.routing.SlotMap;

/**
 * The routing ConfigMap's document: a {@link SlotMap} whose shards carry the endpoint the ingress
 * forwards to ({@code <cluster>-shard-<k>:6970}). The ConfigMap is the source of truth: the next
 * map is always derived from the one read back, never recomputed from scratch.
 */
public final class RoutingDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RoutingDocument() {
    }

    /** The map a cluster with {@code shards} shards should route by, given the map it routes by now. */
    public static SlotMap next(SlotMap current, int shards) {
        return current.shardCount() == shards ? current : Rebalancer.rebalance(current, shards);
    }

    public static String toJson(SlotMap map, String cluster) {
        try {
            JsonNode tree = JSON.readTree(map.toJson());
            for (JsonNode shard : tree.get("shards")) {
                ((ObjectNode) shard).put("endpoint", Names.shardEndpoint(cluster, shard.get("shard").asInt()));
            }
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a routing document; anything that is not a valid slot map is an IllegalArgumentException. */
    public static SlotMap parse(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("the routing document is empty");
        }
        try {
            JsonNode tree = JSON.readTree(json);
            JsonNode shards = tree.get("shards");
            if (shards != null && shards.isArray()) {
                for (JsonNode shard : shards) {
                    if (shard instanceof ObjectNode o) {
                        o.remove("endpoint");
                    }
                }
            }
            return SlotMap.fromJson(JSON.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the routing document is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
