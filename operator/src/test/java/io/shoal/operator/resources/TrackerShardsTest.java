package io.shoal.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.operator.api.v1alpha1.AccessListSpec;
import io.shoal.operator.api.v1alpha1.AccessMode;
import io.shoal.operator.api.v1alpha1.RedisMode;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import io.shoal.routing.Rebalancer;
import io.shoal.routing.SlotMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackerShardsTest {

    @Test
    void carriesTheClusterTemplateAndItsSlots() {
        TrackerCluster tc = Fixtures.cluster("tr", 3);
        tc.getSpec().image = "img:1";
        tc.getSpec().replicasPerShard = 2;
        SlotMap map = Rebalancer.rebalance(SlotMap.even(2), 3);
        TrackerShard ts = TrackerShards.desired(tc, map.shards().get(2), 5, "d1");
        assertThat(ts.getMetadata().getName()).isEqualTo("tr-shard-2");
        assertThat(ts.getMetadata().getLabels()).containsEntry("tracker.shoal.io/cluster", "tr")
                .containsEntry("tracker.shoal.io/component", "shard").containsEntry("tracker.shoal.io/shard", "2");
        assertThat(ts.getMetadata().getAnnotations()).containsEntry(TrackerShards.REPLICAS_FROM, "2");
        assertThat(ts.getSpec().cluster).isEqualTo("tr");
        assertThat(ts.getSpec().index).isEqualTo(2);
        assertThat(ts.getSpec().replicas).isEqualTo(5);
        assertThat(ts.getSpec().image).isEqualTo("img:1");
        assertThat(ts.getSpec().slots).isEqualTo(TrackerShards.slots(map.shards().get(2)));
        assertThat(TrackerShards.slotCount(ts.getSpec().slots)).isEqualTo(map.shards().get(2).slotCount());
        assertThat(ts.getSpec().accessListConfigMap).isNull();
        assertThat(ts.getSpec().connectionIdKeyDigest).isEqualTo("d1");
        assertThat(ts.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getUid()).isEqualTo("uid-tr"));
    }

    @Test
    void slotsAreFirstDashLastPerRange() {
        SlotMap map = Rebalancer.rebalance(SlotMap.even(3), 2);
        assertThat(TrackerShards.slots(map.shards().get(1))).allMatch(s -> s.matches("[0-9]+-[0-9]+"));
        assertThat(TrackerShards.slotCount(List.of("0-9", "20-20"))).isEqualTo(11);
    }

    @Test
    void externalRedisUrlGetsTheShardIndexAndAccessListIsReferenced() {
        TrackerCluster tc = Fixtures.cluster("tr", 2);
        tc.getSpec().redis.mode = RedisMode.External;
        tc.getSpec().redis.url = "redis://redis-{shard}.db:6379/0";
        tc.getSpec().accessList = new AccessListSpec();
        tc.getSpec().accessList.mode = AccessMode.Allow;
        tc.getSpec().accessList.infohashes = List.of("ab".repeat(20));
        TrackerShard ts = TrackerShards.desired(tc, SlotMap.even(2).shards().get(1), 1, null);
        assertThat(ts.getSpec().redis.url).isEqualTo("redis://redis-1.db:6379/0");
        assertThat(tc.getSpec().redis.url).as("the cluster's spec is not changed").contains("{shard}");
        assertThat(ts.getSpec().accessListConfigMap).isEqualTo("tr-access-list");
        assertThat(ts.getSpec().accessMode).isEqualTo(AccessMode.Allow);
    }
}
