package io.shoal.tracker.peers.redis;

import io.shoal.routing.Slots;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisKeysTest {

    @Test
    void torrentKeysCarryTheSlotAsAHashTagAndTheInfohashInHex() {
        byte[] ih = new byte[20];
        ih[0] = (byte) 0xAB;
        ih[1] = 0x01;
        ih[19] = 0x7F;
        String hex = "ab01" + "00".repeat(17) + "7f";
        assertThat(RedisKeys.torrentKeyNames(ih)).containsExactly(
                "sh:{ab01}:" + hex + ":4", "sh:{ab01}:" + hex + ":6", "sh:{ab01}:" + hex + ":p",
                "sh:{ab01}:" + hex + ":d");
        assertThat(RedisKeys.indexKeyName(Slots.of(ih))).isEqualTo("sh:{ab01}:torrents");
        assertThat(RedisKeys.keptKeyName(Slots.of(ih))).isEqualTo("sh:{ab01}:kept");
        assertThat(RedisKeys.slotOfIndexKey(RedisKeys.keptKey(Slots.of(ih)))).as("a kept set is no index").isEqualTo(-1);
        byte[] k4 = RedisKeys.torrentKey(ih, RedisKeys.FAMILY4);
        assertThat(new String(RedisKeys.withSuffix(k4, RedisKeys.PEER_HASH), StandardCharsets.US_ASCII))
                .isEqualTo("sh:{ab01}:" + hex + ":p");
        assertThat(new String(k4, StandardCharsets.US_ASCII)).endsWith(":4");
    }

    @Test
    void indexKeysParseBackToTheirSlotAndNothingElseDoes() {
        for (int slot : new int[] {0, 1, 0xabcd, 0xffff}) {
            byte[] key = RedisKeys.indexKey(slot);
            assertThat(RedisKeys.slotOfIndexKey(key)).isEqualTo(slot);
        }
        for (String other : new String[] {"sh:{ABCD}:torrents", "sh:{abcd}:torrent", "sh:{abcg}:torrents",
                "xx:{abcd}:torrents", "sh:{abcd}:" + "00".repeat(20) + ":4", ""}) {
            assertThat(RedisKeys.slotOfIndexKey(other.getBytes(StandardCharsets.US_ASCII))).as(other).isEqualTo(-1);
        }
    }

    @Test
    void infohashesMustBeTwentyBytes() {
        assertThatThrownBy(() -> RedisKeys.torrentKeyNames(new byte[19])).isInstanceOf(IllegalArgumentException.class);
    }
}
