package io.shoal.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.routing.Rebalancer;
import io.shoal.routing.SlotMap;
import org.junit.jupiter.api.Test;

class RoutingDocumentTest {

    @Test
    void aNewClusterSplitsEvenlyWithEndpointsOfTheHeadlessServices() {
        SlotMap m = RoutingDocument.initial(2, "c");
        assertThat(m.toJson()).isEqualTo("{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,32767]],"
                + "\"endpoint\":\"c-shard-0:6970\"},{\"shard\":1,\"ranges\":[[32768,65535]],\"endpoint\":\"c-shard-1:6970\"}]}");
        assertThat(RoutingDocument.parse(m.toJson())).isEqualTo(m);
    }

    @Test
    void sameShardCountKeepsTheMapAndItsEpoch() {
        SlotMap m = RoutingDocument.next(RoutingDocument.initial(3, "c"), 4, "c");
        assertThat(RoutingDocument.next(m, 4, "c")).isSameAs(m);
    }

    @Test
    void otherShardCountRebalancesFromTheCurrentMapAndBumpsTheEpoch() {
        SlotMap m = RoutingDocument.next(RoutingDocument.initial(3, "c"), 4, "c");
        assertThat(m.epoch()).isEqualTo(2);
        assertThat(m.endpoint(3)).isEqualTo("c-shard-3:6970");
        SlotMap next = RoutingDocument.next(m, 2, "c");
        assertThat(next.epoch()).isEqualTo(3);
        assertThat(next).isEqualTo(Rebalancer.rebalance(m, 2)).isNotEqualTo(RoutingDocument.initial(2, "c"));
    }

    @Test
    void endpointsChangedByHandArePutBackAsANewEpoch() {
        SlotMap bare = Rebalancer.rebalance(SlotMap.even(3), 4);
        SlotMap fixed = RoutingDocument.next(bare, 4, "c");
        assertThat(fixed.epoch()).isEqualTo(bare.epoch() + 1);
        assertThat(fixed.shardsWithoutEndpoint()).isEmpty();
        for (int k = 0; k < 4; k++) {
            assertThat(fixed.shards().get(k).ranges()).isEqualTo(bare.shards().get(k).ranges());
            assertThat(fixed.endpoint(k)).isEqualTo("c-shard-" + k + ":6970");
        }
        SlotMap grown = RoutingDocument.next(bare, 5, "c");
        assertThat(grown.epoch()).as("one new epoch for both changes").isEqualTo(bare.epoch() + 1);
        assertThat(grown.shardsWithoutEndpoint()).isEmpty();
    }

    @Test
    void refusesWhatIsNotASlotMap() {
        assertThatThrownBy(() -> RoutingDocument.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutingDocument.parse("{")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutingDocument.parse("{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,5]]}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no owner");
    }
}
