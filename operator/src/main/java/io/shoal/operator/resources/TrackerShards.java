package io.shoal.operator.resources;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.shoal.operator.api.v1alpha1.AccessMode;
import io.shoal.operator.api.v1alpha1.RedisMode;
import io.shoal.operator.api.v1alpha1.RedisSpec;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrackerClusterSpec;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import io.shoal.operator.api.v1alpha1.TrackerShardSpec;
import io.shoal.routing.ShardSlots;
import io.shoal.routing.SlotRange;
import java.util.ArrayList;
import java.util.List;

/** The TrackerShards a TrackerCluster owns, one per shard of its routing map. */
public final class TrackerShards {

    /**
     * The cluster's replicasPerShard a TrackerShard's replicas were last set from. While it is
     * unchanged the cluster leaves the shard's replicas alone, so a shard scaled by hand or by an HPA
     * stays scaled.
     */
    public static final String REPLICAS_FROM = "tracker.shoal.io/replicas-per-shard";

    private TrackerShards() {
    }

    public static List<String> slots(ShardSlots shard) {
        List<String> out = new ArrayList<>(shard.ranges().size());
        for (SlotRange r : shard.ranges()) {
            out.add(r.first() + "-" + r.last());
        }
        return out;
    }

    /** Number of slots in ranges written as first-last, as TrackerShard's spec.slots holds them. */
    public static int slotCount(List<String> slots) {
        int n = 0;
        for (String s : slots) {
            int dash = s.indexOf('-');
            n += Integer.parseInt(s.substring(dash + 1)) - Integer.parseInt(s.substring(0, dash)) + 1;
        }
        return n;
    }

    /**
     * The TrackerShard for shard {@code slots.shard()}. {@code replicas} is what its spec.replicas
     * should be: the caller keeps the actual value unless the cluster's replicasPerShard changed.
     * {@code keyDigest} is {@link PodParts#keyDigest} of the cluster's connection-id key.
     */
    public static TrackerShard desired(TrackerCluster tc, ShardSlots slots, int replicas, String keyDigest) {
        String cluster = tc.getMetadata().getName();
        int index = slots.shard();
        TrackerClusterSpec c = tc.getSpec();
        ObjectMeta meta = Owners.meta(tc, Names.shard(cluster, index),
                Labels.all(Labels.selector(cluster, Labels.SHARD_COMPONENT, index)));
        meta.setAnnotations(new java.util.LinkedHashMap<>(java.util.Map.of(REPLICAS_FROM,
                Integer.toString(c.replicasPerShard))));
        TrackerShard ts = new TrackerShard();
        ts.setMetadata(meta);
        TrackerShardSpec s = new TrackerShardSpec();
        s.cluster = cluster;
        s.index = index;
        s.slots = slots(slots);
        s.replicas = replicas;
        s.image = c.image;
        s.imagePullPolicy = c.imagePullPolicy;
        s.announce = c.announce;
        s.redis = redisFor(c.redis, index);
        if (c.accessList != null) {
            s.accessMode = c.accessList.mode;
            s.accessListConfigMap = Names.accessListConfigMap(cluster);
        } else {
            s.accessMode = null;
        }
        s.trustedProxies = new ArrayList<>(c.trustedProxies);
        s.resources = c.resources;
        s.connectionIdKeyDigest = keyDigest;
        ts.setSpec(s);
        ts.setStatus(null);
        return ts;
    }

    /** The cluster's Redis settings for one shard: an external URL's {shard} becomes the index. */
    static RedisSpec redisFor(RedisSpec cluster, int index) {
        RedisSpec r = new RedisSpec();
        r.mode = cluster.mode;
        r.url = cluster.mode == RedisMode.External && cluster.url != null
                ? cluster.url.replace("{shard}", Integer.toString(index)) : null;
        r.image = cluster.image;
        r.maxMemory = cluster.maxMemory;
        r.resources = cluster.resources;
        return r;
    }

    static String accessModeFlag(AccessMode mode) {
        return mode == AccessMode.Allow ? "allow" : "deny";
    }
}
