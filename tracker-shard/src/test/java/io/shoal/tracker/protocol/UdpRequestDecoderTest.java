package io.shoal.tracker.protocol;

import static io.shoal.tracker.protocol.TestBytes.hex;
import static io.shoal.tracker.protocol.TestBytes.seq20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class UdpRequestDecoderTest {
    private static final String CONN = "1122334455667788";
    private static final String TX = "cafebabe";
    private static final String HASH = "aa00ff112233445566778899aabbccddeeff0102";
    private static final String PEER = "2d7142343235302d6162636465666768696a6b6c";   // -qB4250-abcdefghijkl

    /** A BEP 15 announce, field by field. */
    private static String announce(String event, String numwant, String port) {
        return CONN + "00000001" + TX
                + HASH + PEER
                + "0000000000000800"      // downloaded 2048
                + "0000000000010000"      // left 65536
                + "0000000000000400"      // uploaded 1024
                + event
                + "c0000207"              // IP 192.0.2.7 (ignored)
                + "89abcdef"              // key
                + numwant
                + port;
    }

    private static UdpRequest decode(String hexDatagram) {
        return UdpRequestDecoder.decode(Unpooled.wrappedBuffer(hex(hexDatagram)));
    }

    private static UdpDecodeException refused(ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(UdpDecodeException.class);
        return (UdpDecodeException) t;
    }

    @Test
    void connect() {
        assertThat(decode("0000041727101980 00000000 deadbeef")).isEqualTo(new UdpRequest.Connect(0xdeadbeef));
        // trailing bytes after the 16 a connect needs are harmless
        assertThat(decode("0000041727101980 00000000 00000001 ffff")).isEqualTo(new UdpRequest.Connect(1));
    }

    @Test
    void connectWithoutProtocolIdHasNoHeader() {
        UdpDecodeException e = refused(() -> decode("0000041727101981 00000000 deadbeef"));
        assertThat(e.hasHeader()).isFalse();
    }

    @Test
    void shortDatagramsHaveNoHeader() {
        for (String d : new String[] {"", "00", "0000041727101980 00000000 deadbe"}) {
            assertThat(refused(() -> decode(d)).hasHeader()).as(d).isFalse();
        }
    }

    @Test
    void oversizedDatagramsAreDroppedUnread() {
        byte[] big = new byte[UdpRequestDecoder.MAX_DATAGRAM + 1];
        System.arraycopy(hex(CONN + "00000002" + TX), 0, big, 0, 16);
        UdpDecodeException e = refused(() -> UdpRequestDecoder.decode(Unpooled.wrappedBuffer(big)));
        assertThat(e.hasHeader()).isFalse();
        assertThat(e).hasMessage("datagram too large");
    }

    @Test
    void announceFields() {
        ByteBuf datagram = Unpooled.wrappedBuffer(hex(announce("00000002", "00000032", "1ae1")));
        assertThat(datagram.readableBytes()).isEqualTo(98);
        UdpRequest.Announce a = (UdpRequest.Announce) UdpRequestDecoder.decode(datagram);
        assertThat(datagram.readerIndex()).isZero();
        assertThat(a.connectionId()).isEqualTo(0x1122334455667788L);
        assertThat(a.transactionId()).isEqualTo(0xcafebabe);
        AnnounceRequest r = a.request();
        assertThat(r.infoHash()).isEqualTo(hex(HASH));
        assertThat(r.peerId()).isEqualTo(hex(PEER));
        assertThat(r.downloaded()).isEqualTo(2048);
        assertThat(r.left()).isEqualTo(65536);
        assertThat(r.uploaded()).isEqualTo(1024);
        assertThat(r.event()).isEqualTo(AnnounceEvent.STARTED);
        assertThat(r.key()).isEqualTo(0x89abcdefL);
        assertThat(r.numwant()).isEqualTo(50);
        assertThat(r.port()).isEqualTo(6881);
        assertThat(r.compact()).isTrue();
        assertThat(r.noPeerId()).isFalse();
    }

    @Test
    void announceReadFromTheReaderIndexOn() {
        ByteBuf datagram = Unpooled.wrappedBuffer(hex("ffffff" + announce("00000000", "ffffffff", "0000")));
        datagram.readerIndex(3);
        UdpRequest.Announce a = (UdpRequest.Announce) UdpRequestDecoder.decode(datagram);
        assertThat(a.request().infoHash()).isEqualTo(hex(HASH));
        assertThat(a.request().event()).isEqualTo(AnnounceEvent.NONE);
        assertThat(a.request().numwant()).isEqualTo(-1);
        assertThat(a.request().port()).isZero();
        assertThat(datagram.readerIndex()).isEqualTo(3);
    }

    @Test
    void announceEventsNumwantAndPort() {
        assertThat(announceOf("00000001", "00000000", "ffff").event()).isEqualTo(AnnounceEvent.COMPLETED);
        assertThat(announceOf("00000003", "00000000", "ffff").event()).isEqualTo(AnnounceEvent.STOPPED);
        assertThat(announceOf("00000003", "00000000", "ffff").port()).isEqualTo(65535);
        assertThat(announceOf("00000000", "00000000", "0001").numwant()).isZero();
        assertThat(announceOf("00000000", "fffffff6", "0001").numwant()).isEqualTo(-1);
        assertThat(announceOf("00000000", "7fffffff", "0001").numwant()).isEqualTo(Integer.MAX_VALUE);
    }

    private static AnnounceRequest announceOf(String event, String numwant, String port) {
        return ((UdpRequest.Announce) decode(announce(event, numwant, port))).request();
    }

    @Test
    void announceWithBep41OptionsIsAccepted() {
        // option 2 (URLData) "/ann", then end of options
        UdpRequest r = decode(announce("00000000", "00000010", "1ae1") + "0204" + "2f616e6e" + "00");
        assertThat(((UdpRequest.Announce) r).request().numwant()).isEqualTo(16);
    }

    @Test
    void badEventIsAnAnswerableError() {
        UdpDecodeException e = refused(() -> decode(announce("00000004", "00000000", "1ae1")));
        assertThat(e).hasMessage("bad event");
        assertThat(e.hasHeader()).isTrue();
        assertThat(e.action()).isEqualTo(1);
        assertThat(e.transactionId()).isEqualTo(0xcafebabe);
        assertThat(e.connectionId()).isEqualTo(0x1122334455667788L);
        assertThat(refused(() -> decode(announce("ffffffff", "00000000", "1ae1")))).hasMessage("bad event");
    }

    @Test
    void truncatedAnnounce() {
        String full = announce("00000000", "00000000", "1ae1");
        for (int bytes : new int[] {16, 36, 97}) {
            UdpDecodeException e = refused(() -> decode(full.substring(0, bytes * 2)));
            assertThat(e).as("%d bytes", bytes).hasMessage("bad announce length");
            assertThat(e.hasHeader()).isTrue();
            assertThat(e.transactionId()).isEqualTo(0xcafebabe);
        }
    }

    @Test
    void scrape() {
        UdpRequest.Scrape s = (UdpRequest.Scrape) decode(CONN + "00000002" + TX + HASH);
        assertThat(s.connectionId()).isEqualTo(0x1122334455667788L);
        assertThat(s.transactionId()).isEqualTo(0xcafebabe);
        assertThat(s.infoHashes()).containsExactly(hex(HASH));
        // duplicates stay: the answer is positional
        UdpRequest.Scrape two = (UdpRequest.Scrape) decode(CONN + "00000002" + TX + HASH + HASH);
        assertThat(two.infoHashes()).hasSize(2);
    }

    @Test
    void scrapeOfMaximumSize() {
        StringBuilder d = new StringBuilder(CONN + "00000002" + TX);
        for (int i = 0; i < UdpRequestDecoder.MAX_SCRAPE_HASHES; i++) {
            d.append(TestBytes.hex(seq20(i)));
        }
        UdpRequest.Scrape s = (UdpRequest.Scrape) decode(d.toString());
        assertThat(s.infoHashes()).hasSize(74);
        assertThat(s.infoHashes().get(73)).isEqualTo(seq20(73));
        // one more hash no longer fits a datagram we read
        d.append(TestBytes.hex(seq20(74)));
        assertThat(refused(() -> decode(d.toString())).hasHeader()).isFalse();
    }

    @Test
    void scrapeLengthMustBeWholeHashes() {
        String header = CONN + "00000002" + TX;
        for (String body : new String[] {"", HASH.substring(2), HASH + "00", HASH + HASH.substring(2)}) {
            UdpDecodeException e = refused(() -> decode(header + body));
            assertThat(e).as(body).hasMessage("bad scrape length");
            assertThat(e.hasHeader()).isTrue();
            assertThat(e.action()).isEqualTo(2);
        }
    }

    @Test
    void unknownActions() {
        for (String action : new String[] {"00000003", "00000004", "ffffffff"}) {
            UdpDecodeException e = refused(() -> decode(CONN + action + TX + HASH));
            assertThat(e).hasMessage("unknown action");
            assertThat(e.hasHeader()).isTrue();
            assertThat(e.transactionId()).isEqualTo(0xcafebabe);
        }
    }

    @Test
    void decodeExceptionsAreCheap() {
        assertThat(refused(() -> decode("00")).getStackTrace()).isEmpty();
        assertThatThrownBy(() -> decode("00")).isInstanceOf(RuntimeException.class);
    }
}
