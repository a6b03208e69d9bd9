package io.shoal.operator.resources;

import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import io.shoal.routing.SlotMap;

/** Objects as they come from the API server, for the pure builders. */
final class Fixtures {

    private Fixtures() {
    }

    static TrackerCluster cluster(String name, int shards) {
        TrackerCluster tc = new TrackerCluster();
        tc.getMetadata().setName(name);
        tc.getMetadata().setNamespace("trackers");
        tc.getMetadata().setUid("uid-" + name);
        tc.getMetadata().setGeneration(1L);
        tc.getSpec().shards = shards;
        return tc;
    }

    static TrackerShard shard(TrackerCluster tc, int index) {
        TrackerShard ts = TrackerShards.desired(tc, SlotMap.even(tc.getSpec().shards).shards().get(index),
                tc.getSpec().replicasPerShard, PodParts.keyDigest("00112233445566778899aabbccddeeff"));
        ts.getMetadata().setUid("uid-" + ts.getMetadata().getName());
        return ts;
    }
}
