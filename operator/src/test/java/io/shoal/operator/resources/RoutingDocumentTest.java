package io.shoal.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.routing.Rebalancer;
import io.shoal.routing.SlotMap;
import org.junit.jupiter.api.Test;

class RoutingDocumentTest {

    @Test
    void sameShardCountKeepsTheMapAndItsEpoch() {
        SlotMap m = Rebalancer.rebalance(SlotMap.even(3), 4);
        assertThat(RoutingDocument.next(m, 4)).isSameAs(m);
    }

    @Test
    void otherShardCountRebalancesFromTheCurrentMapAndBumpsTheEpoch() {
        SlotMap m = Rebalancer.rebalance(SlotMap.even(3), 4);
        SlotMap next = RoutingDocument.next(m, 2);
        assertThat(next.epoch()).isEqualTo(m.epoch() + 1);
        assertThat(next).isEqualTo(Rebalancer.rebalance(m, 2)).isNotEqualTo(SlotMap.even(2));
    }

    @Test
    void jsonRoundTripsWithEndpointsOfTheHeadlessServices() {
        SlotMap m = SlotMap.even(2);
        String json = RoutingDocument.toJson(m, "c");
        assertThat(json).isEqualTo("{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,32767]],\"endpoint\":\"c-shard-0:6970\"},"
                + "{\"shard\":1,\"ranges\":[[32768,65535]],\"endpoint\":\"c-shard-1:6970\"}]}");
        assertThat(RoutingDocument.parse(json)).isEqualTo(m);
    }

    @Test
    void refusesWhatIsNotASlotMap() {
        assertThatThrownBy(() -> RoutingDocument.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutingDocument.parse("{")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> RoutingDocument.parse("{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,5]]}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no owner");
    }
}
