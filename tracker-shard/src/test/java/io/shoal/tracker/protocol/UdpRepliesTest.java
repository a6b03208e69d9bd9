package io.shoal.tracker.protocol;

import static io.shoal.tracker.protocol.TestBytes.drain;
import static io.shoal.tracker.protocol.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.SwarmCounts;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpRepliesTest {
    private static final byte[] PEERS4 = hex("01020304 1ae1 c0000207 c8d5");
    private static final byte[] PEERS6 = hex("20010db8000000000000000000000001 1ae1");
    private static final AnnounceResult RESULT = new AnnounceResult(5, 3, 9, PEERS4, PEERS6, null, null);

    @Test
    void connect() {
        ByteBuf out = TestBytes.buffer();
        UdpReplies.connect(out, 0xdeadbeef, 0x0102030405060708L);
        assertThat(drain(out)).isEqualTo(hex("00000000 deadbeef 0102030405060708"));
    }

    @Test
    void announceIpv4() {
        ByteBuf out = TestBytes.buffer();
        UdpReplies.announce(out, 7, 1800, RESULT, false);
        assertThat(drain(out)).isEqualTo(hex("00000001 00000007 00000708 00000003 00000005"
                + "01020304 1ae1 c0000207 c8d5"));
    }

    @Test
    void announceIpv6() {
        ByteBuf out = TestBytes.buffer();
        UdpReplies.announce(out, 7, 1800, RESULT, true);
        byte[] bytes = drain(out);
        assertThat(bytes).hasSize(20 + 18);
        assertThat(bytes).isEqualTo(hex("00000001 00000007 00000708 00000003 00000005"
                + "20010db8000000000000000000000001 1ae1"));
    }

    @Test
    void announceWithoutPeers() {
        ByteBuf out = TestBytes.buffer();
        UdpReplies.announce(out, -1, 60, new AnnounceResult(0, 0, 0, AnnounceResult.NONE, AnnounceResult.NONE, null, null), true);
        assertThat(drain(out)).isEqualTo(hex("00000001 ffffffff 0000003c 00000000 00000000"));
    }

    @Test
    void scrapeInRequestOrder() {
        ByteBuf out = TestBytes.buffer();
        UdpReplies.scrape(out, 0x01020304, List.of(new SwarmCounts(10, 2, 300), SwarmCounts.EMPTY,
                new SwarmCounts(1, 1, 1L << 40)));
        assertThat(drain(out)).isEqualTo(hex("00000002 01020304"
                + "0000000a 0000012c 00000002"
                + "00000000 00000000 00000000"
                + "00000001 7fffffff 00000001"));   // a download count beyond int32 saturates
    }

    @Test
    void errorText() {
        ByteBuf out = TestBytes.buffer();
        UdpReplies.error(out, 0x0a0b0c0d, "bad event");
        assertThat(drain(out)).isEqualTo(hex("00000003 0a0b0c0d 626164206576656e74"));
    }

    @Test
    void errorTextIsAsciiAndAtMost64Bytes() {
        ByteBuf out = TestBytes.buffer();
        UdpReplies.error(out, 1, "caf\u00e9\n" + "x".repeat(100));
        byte[] bytes = drain(out);
        assertThat(bytes).hasSize(8 + 64);
        assertThat(new String(bytes, 8, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("caf??x");
    }
}
