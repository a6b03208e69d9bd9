package io.shoal.operator.resources;

import io.shoal.routing.Rebalancer;
import io.shoal.routing.ShardSlots;
import io.shoal.routing.SlotMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The routing ConfigMap's document: a {@link SlotMap} whose shards carry the endpoint the ingress
 * forwards to ({@code <cluster>-shard-<k>:6970}). The ConfigMap is the source of truth: the next
 * map is always derived from the one read back, never recomputed from scratch.
 */
public final class RoutingDocument {

    private RoutingDocument() {
    }

    /** The map of a new cluster: slots split evenly. */
    public static SlotMap initial(int shards, String cluster) {
        return SlotMap.even(shards, k -> Names.shardEndpoint(cluster, k));
    }

    /**
     * The map a cluster with {@code shards} shards should route by, given the map it routes by now:
     * the same map when nothing is to change, otherwise a new epoch. Endpoints someone removed or
     * changed by hand are put back, also as a new epoch, since the ingress must see the change.
     */
    public static SlotMap next(SlotMap current, int shards, String cluster) {
        SlotMap target = current.shardCount() == shards ? current
                : Rebalancer.rebalance(current, shards, k -> Names.shardEndpoint(cluster, k));
        boolean endpointsRight = true;
        List<ShardSlots> fixed = new ArrayList<>(target.shardCount());
        for (ShardSlots s : target.shards()) {
            String want = Names.shardEndpoint(cluster, s.shard());
            endpointsRight &= Objects.equals(want, s.endpoint());
            fixed.add(s.withEndpoint(want));
        }
        if (endpointsRight) {
            return target;
        }
        return new SlotMap(target == current ? current.epoch() + 1 : target.epoch(), fixed);
    }

    /** Parses a routing document; anything that is not a valid slot map is an IllegalArgumentException. */
    public static SlotMap parse(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("the routing document is empty");
        }
        return SlotMap.fromJson(json);
    }
}
