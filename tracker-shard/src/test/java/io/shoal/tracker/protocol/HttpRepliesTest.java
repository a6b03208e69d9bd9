package io.shoal.tracker.protocol;

import static io.shoal.tracker.protocol.TestBytes.drain;
import static io.shoal.tracker.protocol.TestBytes.hex;
import static io.shoal.tracker.protocol.TestBytes.latin1;
import static io.shoal.tracker.protocol.TestBytes.seq20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.SwarmCounts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRepliesTest {
    private static final byte[] PEER4 = hex("01020304 1ae1");
    private static final byte[] PEER6 = hex("20010db8000000000000000000000001 c8d5");
    private static final AnnounceResult ONE_V4 =
            new AnnounceResult(3, 2, 7, PEER4, AnnounceResult.NONE, null, null);
    private static final AnnounceResult BOTH = new AnnounceResult(3, 2, 7, PEER4, PEER6, seq20(0x40), seq20(0x60));

    private static byte[] announce(AnnounceResult r, boolean compact, boolean noPeerId, String warning) {
        ByteBuf out = TestBytes.buffer();
        HttpReplies.announce(out, r, 1800, 900, compact, noPeerId, warning);
        return drain(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(byte[] bencoded) {
        // the strict decoder also proves that keys are sorted and unique
        return (Map<String, Object>) Bencode.decode(bencoded);
    }

    @Test
    void compactAnnounceBytes() {
        assertThat(latin1(announce(ONE_V4, true, false, null))).isEqualTo(
                "d8:completei3e10:downloadedi7e10:incompletei2e8:intervali1800e12:min intervali900e"
                + "5:peers6:\u0001\u0002\u0003\u0004\u001a\u00e1e");
    }

    @Test
    void compactAnnounceWithoutPeersStillHasPeersButNoPeers6() {
        AnnounceResult none = new AnnounceResult(0, 1, 0, AnnounceResult.NONE, AnnounceResult.NONE, null, null);
        assertThat(latin1(announce(none, true, false, null))).isEqualTo(
                "d8:completei0e10:downloadedi0e10:incompletei1e8:intervali1800e12:min intervali900e5:peers0:e");
    }

    @Test
    void compactAnnounceWithBothFamiliesAndWarning() {
        byte[] bytes = announce(BOTH, true, false, "slow down");
        Map<String, Object> m = dict(bytes);
        assertThat(m.keySet()).containsExactly(
                "complete", "downloaded", "incomplete", "interval", "min interval", "peers", "peers6", "warning message");
        assertThat((byte[]) m.get("peers")).isEqualTo(PEER4);
        assertThat((byte[]) m.get("peers6")).isEqualTo(PEER6);
        assertThat(latin1((byte[]) m.get("warning message"))).isEqualTo("slow down");
        assertThat(m.get("complete")).isEqualTo(3L);
        assertThat(m.get("incomplete")).isEqualTo(2L);
    }

    @Test
    void dictionaryModelListsBothFamiliesWithIds() {
        Map<String, Object> m = dict(announce(BOTH, false, false, null));
        assertThat(m.keySet()).containsExactly("complete", "downloaded", "incomplete", "interval", "min interval", "peers");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> peers = (List<Map<String, Object>>) m.get("peers");
        assertThat(peers).hasSize(2);
        assertThat(peers.get(0).keySet()).containsExactly("ip", "peer id", "port");
        assertThat(latin1((byte[]) peers.get(0).get("ip"))).isEqualTo("1.2.3.4");
        assertThat((byte[]) peers.get(0).get("peer id")).isEqualTo(seq20(0x40));
        assertThat(peers.get(0).get("port")).isEqualTo(6881L);
        assertThat(latin1((byte[]) peers.get(1).get("ip"))).isEqualTo("2001:db8::1");
        assertThat((byte[]) peers.get(1).get("peer id")).isEqualTo(seq20(0x60));
        assertThat(peers.get(1).get("port")).isEqualTo(51413L);
    }

    @Test
    void dictionaryModelExactBytesWithoutPeerIds() {
        assertThat(latin1(announce(BOTH, false, true, null))).isEqualTo(
                "d8:completei3e10:downloadedi7e10:incompletei2e8:intervali1800e12:min intervali900e"
                + "5:peersld2:ip7:1.2.3.44:porti6881eed2:ip11:2001:db8::14:porti51413eeee");
        // ids missing from the store: same shape
        assertThat(announce(ONE_V4, false, false, null)).isEqualTo(latin1(
                "d8:completei3e10:downloadedi7e10:incompletei2e8:intervali1800e12:min intervali900e"
                + "5:peersld2:ip7:1.2.3.44:porti6881eeee"));
    }

    @Test
    void scrapeBytes() {
        ByteBuf out = TestBytes.buffer();
        HttpReplies.scrape(out, List.of(seq20(0)), List.of(new SwarmCounts(5, 4, 30)));
        assertThat(drain(out)).isEqualTo(concat(latin1("d5:filesd20:"), seq20(0),
                latin1("d8:completei5e10:downloadedi30e10:incompletei4eeee")));
    }

    @Test
    void scrapeWritesHashesInUnsignedByteOrderOnce() {
        byte[] high = TestBytes.filled(20, 0x80);
        byte[] low = TestBytes.filled(20, 0x7f);
        ByteBuf out = TestBytes.buffer();
        HttpReplies.scrape(out, List.of(high, low, high),
                List.of(new SwarmCounts(1, 0, 0), new SwarmCounts(2, 0, 0), new SwarmCounts(9, 0, 0)));
        Map<String, Object> files = dictOf(dict(drain(out)).get("files"));
        assertThat(files.keySet()).containsExactly(latin1(low), latin1(high));
        assertThat(dictOf(files.get(latin1(high))).get("complete")).isEqualTo(1L);
        assertThat(dictOf(files.get(latin1(low))).get("complete")).isEqualTo(2L);
    }

    @Test
    void emptyScrape() {
        ByteBuf out = TestBytes.buffer();
        HttpReplies.scrape(out, List.of(), List.of());
        assertThat(latin1(drain(out))).isEqualTo("d5:filesdee");
        assertThatThrownBy(() -> HttpReplies.scrape(TestBytes.buffer(), List.of(seq20(0)), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failures() {
        ByteBuf out = TestBytes.buffer();
        HttpReplies.failure(out, "unregistered torrent");
        assertThat(latin1(drain(out))).isEqualTo("d14:failure reason20:unregistered torrente");
        out = TestBytes.buffer();
        HttpReplies.failure(out, "tracker busy", 5);
        assertThat(latin1(drain(out))).isEqualTo("d14:failure reason12:tracker busy8:retry ini5ee");
        out = TestBytes.buffer();
        HttpReplies.failure(out, "x", 0);
        assertThat(latin1(drain(out))).isEqualTo("d14:failure reason1:xe");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dictOf(Object o) {
        return (Map<String, Object>) o;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, o, p.length);
            o += p.length;
        }
        return all;
    }
}
