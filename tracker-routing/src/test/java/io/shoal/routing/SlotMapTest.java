package io.shoal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlotMapTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 10, 64, 1000})
    void evenMapCoversEverySlotOnceWithSharesDifferingByAtMostOne(int shards) {
        SlotMap map = SlotMap.even(shards);
        int[] counts = new int[shards];
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            counts[map.shardOfSlot(slot)]++;
        }
        int min = java.util.Arrays.stream(counts).min().orElseThrow();
        int max = java.util.Arrays.stream(counts).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(map.epoch()).isEqualTo(1);
        for (ShardSlots s : map.shards()) {
            assertThat(s.ranges()).hasSize(1);
            assertThat(s.slotCount()).isEqualTo(counts[s.shard()]);
        }
    }

    @Test
    void lookupFollowsRanges() {
        SlotMap map = new SlotMap(3, List.of(
                new ShardSlots(0, List.of(new SlotRange(0, 99), new SlotRange(200, 65535))),
                new ShardSlots(1, List.of(new SlotRange(100, 199)))));
        assertThat(map.shardOfSlot(0)).isZero();
        assertThat(map.shardOfSlot(99)).isZero();
        assertThat(map.shardOfSlot(100)).isEqualTo(1);
        assertThat(map.shardOfSlot(199)).isEqualTo(1);
        assertThat(map.shardOfSlot(200)).isZero();
        assertThat(map.shardOfSlot(65535)).isZero();
        byte[] hash = new byte[20];
        hash[1] = (byte) 150;
        assertThat(map.shardOf(hash)).isEqualTo(1);
    }

    @Test
    void adjacentRangesAreMergedSoEqualOwnershipHasOneForm() {
        ShardSlots s = new ShardSlots(0, List.of(new SlotRange(10, 19), new SlotRange(0, 9)));
        assertThat(s.ranges()).containsExactly(new SlotRange(0, 19));
    }

    @Test
    void gapsOverlapsAndBadNumberingAreRejected() {
        assertThatThrownBy(() -> new SlotMap(1, List.of(new ShardSlots(0, List.of(new SlotRange(0, 65534))))))
                .hasMessageContaining("65535 has no owner");
        assertThatThrownBy(() -> new SlotMap(1, List.of(
                new ShardSlots(0, List.of(new SlotRange(0, 65535))),
                new ShardSlots(1, List.of(new SlotRange(5, 5))))))
                .hasMessageContaining("slot 5 is owned by shards 0 and 1");
        assertThatThrownBy(() -> new SlotMap(1, List.of(new ShardSlots(1, List.of(new SlotRange(0, 65535))))))
                .hasMessageContaining("numbered");
        assertThatThrownBy(() -> new SlotMap(0, List.of(new ShardSlots(0, List.of(new SlotRange(0, 65535))))))
                .hasMessageContaining("epoch");
        assertThatThrownBy(() -> new SlotRange(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlotRange(0, 65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonRoundTripsAndHasTheDocumentedShape() {
        SlotMap map = SlotMap.even(2);
        String json = map.toJson();
        assertThat(json).isEqualTo(
                "{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,32767]]},{\"shard\":1,\"ranges\":[[32768,65535]]}]}");
        assertThat(SlotMap.fromJson(json)).isEqualTo(map);
    }

    @Test
    void invalidJsonIsAClearError() {
        assertThatThrownBy(() -> SlotMap.fromJson("{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,100]]}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no owner");
        assertThatThrownBy(() -> SlotMap.fromJson("{\"epoch\":1,\"shards\":[],\"extra\":1}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlotMap.fromJson("not json"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endpointsAreCarriedInJsonAndLeftOutWhenNull() {
        SlotMap map = SlotMap.even(3, k -> k == 2 ? "[::1]:6972" : "shoal-shard-" + k + ":6970");
        String json = map.toJson();
        assertThat(json).isEqualTo("{\"epoch\":1,\"shards\":["
                + "{\"shard\":0,\"ranges\":[[0,21845]],\"endpoint\":\"shoal-shard-0:6970\"},"
                + "{\"shard\":1,\"ranges\":[[21846,43690]],\"endpoint\":\"shoal-shard-1:6970\"},"
                + "{\"shard\":2,\"ranges\":[[43691,65535]],\"endpoint\":\"[::1]:6972\"}]}");
        assertThat(SlotMap.fromJson(json)).isEqualTo(map);
        assertThat(map.endpoint(2)).isEqualTo("[::1]:6972");
        assertThat(map.shards().get(0).endpoint()).isEqualTo("shoal-shard-0:6970");
        assertThat(map.shardsWithoutEndpoint()).isEmpty();

        SlotMap partial = SlotMap.even(3, k -> k == 1 ? null : "127.0.0.1:" + (7000 + k));
        assertThat(partial.toJson()).contains("{\"shard\":1,\"ranges\":[[21846,43690]]}");
        assertThat(partial.shardsWithoutEndpoint()).containsExactly(1);
        assertThat(SlotMap.fromJson(partial.toJson())).isEqualTo(partial);
        assertThat(SlotMap.fromJson("{\"epoch\":2,\"shards\":[{\"shard\":0,\"ranges\":[[0,65535]],\"endpoint\":null}]}")
                .endpoint(0)).isNull();
    }

    @Test
    void twoArgumentShardSlotsHasNoEndpointAndEndpointTakesPartInEquality() {
        ShardSlots plain = new ShardSlots(0, List.of(new SlotRange(0, 65535)));
        assertThat(plain.endpoint()).isNull();
        assertThat(plain.withEndpoint("a:1")).isNotEqualTo(plain);
        assertThat(plain.withEndpoint("a:1").endpoint()).isEqualTo("a:1");
        assertThat(plain.withEndpoint("a:1").withEndpoint(null)).isEqualTo(plain);
    }

    @Test
    void badEndpointsAreRefusedNamingTheShard() {
        assertThatThrownBy(() -> new ShardSlots(4, List.of(new SlotRange(0, 1)), "::1:6970"))
                .hasMessageContaining("shard 4").hasMessageContaining("brackets");
        assertThatThrownBy(() -> SlotMap.fromJson(
                "{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,65535]],\"endpoint\":\"h:0\"}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid slot map").hasMessageContaining("shard 0");
        assertThatThrownBy(() -> SlotMap.fromJson(
                "{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,65535]],\"endpoint\":7}]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlotMap.fromJson("{\"epoch\":1,\"shards\":[{\"shard\":0}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ranges");
        assertThatThrownBy(() -> SlotMap.fromJson("{\"epoch\":1,\"shards\":[null]}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
