package io.shoal.tracker.protocol;

import static io.shoal.tracker.protocol.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProxyV2Test {
    private static final String SIG = "0d0a0d0a000d0a515549540a";
    private static final InetSocketAddress CLIENT4 = address("192.0.2.7", 51413);
    private static final InetSocketAddress INGRESS4 = address("198.51.100.1", 6969);
    private static final InetSocketAddress CLIENT6 = address("2001:db8::7", 6881);
    private static final InetSocketAddress INGRESS6 = address("2001:db8::1", 6969);

    private static InetSocketAddress address(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static ProxyHeader read(String hexDatagram) {
        return ProxyV2.read(Unpooled.wrappedBuffer(hex(hexDatagram)));
    }

    private static void refused(String hexDatagram, String message) {
        assertThatThrownBy(() -> read(hexDatagram)).isInstanceOf(ProxyHeaderException.class).hasMessage(message);
    }

    @Test
    void writesTheIpv4HeaderByteForByte() {
        ByteBuf out = Unpooled.buffer();
        int n = ProxyV2.write(out, CLIENT4, INGRESS4, 0x0102030405060708L);
        assertThat(n).isEqualTo(ProxyV2.INET_HEADER_LENGTH).isEqualTo(out.readableBytes());
        assertThat(TestBytes.hex(TestBytes.drain(out))).isEqualTo(SIG + "21" + "12" + "0017"
                + "c0000207" + "c6336401" + "c8d5" + "1b39" + "e0" + "0008" + "0102030405060708");
    }

    @Test
    void ipv4RoundTripKeepsThePayloadAfterTheHeader() {
        ByteBuf d = Unpooled.buffer();
        ProxyV2.write(d, CLIENT4, INGRESS4, -1L);
        d.writeBytes(hex("cafebabe"));
        ProxyHeader h = ProxyV2.read(d);
        assertThat(h.source()).isEqualTo(CLIENT4);
        assertThat(h.destination()).isEqualTo(INGRESS4);
        assertThat(h.hasCorrelation()).isTrue();
        assertThat(h.correlationId()).isEqualTo(-1L);
        assertThat(h.length()).isEqualTo(ProxyV2.INET_HEADER_LENGTH);
        assertThat(d.readerIndex()).isZero();
        assertThat(d.getInt(h.length())).isEqualTo(0xcafebabe);
    }

    @Test
    void ipv6RoundTrip() {
        ByteBuf d = Unpooled.buffer();
        assertThat(ProxyV2.write(d, CLIENT6, INGRESS6, 42)).isEqualTo(ProxyV2.INET6_HEADER_LENGTH);
        assertThat(d.getByte(13)).isEqualTo((byte) 0x22);
        ProxyHeader h = ProxyV2.read(d);
        assertThat(h.source()).isEqualTo(CLIENT6);
        assertThat(h.destination()).isEqualTo(INGRESS6);
        assertThat(h.correlationId()).isEqualTo(42);
        assertThat(h.length()).isEqualTo(ProxyV2.INET6_HEADER_LENGTH);
    }

    @Test
    void mixedFamiliesAreWrittenAsIpv6WithTheIpv4SideMapped() {
        ByteBuf d = Unpooled.buffer();
        ProxyV2.write(d, CLIENT4, INGRESS6, 7);
        assertThat(d.getByte(13)).isEqualTo((byte) 0x22);
        assertThat(TestBytes.hex(TestBytes.drain(d.retainedSlice(16, 16)))).isEqualTo("00000000000000000000ffffc0000207");
        ProxyHeader h = ProxyV2.read(d);
        // The mapped client reads back as the same IPv4 peer the public port would have seen.
        assertThat(h.source()).isEqualTo(CLIENT4);
        assertThat(h.destination()).isEqualTo(INGRESS6);
    }

    @Test
    void readsFromTheReaderIndexOnward() {
        ByteBuf d = Unpooled.buffer();
        d.writeBytes(hex("ffffffff"));
        ProxyV2.write(d, CLIENT4, INGRESS4, 9);
        d.readerIndex(4);
        ProxyHeader h = ProxyV2.read(d);
        assertThat(h.correlationId()).isEqualTo(9);
        assertThat(d.readerIndex()).isEqualTo(4);
    }

    @Test
    void unknownTlvsAreSkippedAndAHeaderWithoutCorrelationIsValid() {
        String addresses = "c0000207" + "c6336401" + "c8d5" + "1b39";
        ProxyHeader plain = read(SIG + "21" + "12" + "000c" + addresses);
        assertThat(plain.hasCorrelation()).isFalse();
        assertThat(plain.length()).isEqualTo(28);

        // NOOP with 2 bytes, then a custom 0xE1 with none, then the correlation id
        ProxyHeader withTlvs = read(SIG + "21" + "12" + "001f" + addresses
                + "04" + "0002" + "abcd" + "e1" + "0000" + "e0" + "0008" + "0000000000000005" + "99");
        assertThat(withTlvs.correlationId()).isEqualTo(5);
        assertThat(withTlvs.length()).isEqualTo(16 + 0x1f);
    }

    @Test
    void refusesTooShortOrUnsignedDatagrams() {
        refused("", "shorter than a PROXY v2 header");
        refused(SIG + "2112", "shorter than a PROXY v2 header");
        refused("0d0a0d0a000d0a515549540b" + "21" + "12" + "000c" + "00".repeat(12), "no PROXY v2 signature");
        // a BEP 15 connect sent where only PROXY datagrams belong
        refused("0000041727101980" + "00000000" + "deadbeef", "no PROXY v2 signature");
    }

    @Test
    void refusesOtherVersionsCommandsAndFamilies() {
        String v4 = "000c" + "00".repeat(12);
        refused(SIG + "11" + "12" + v4, "not PROXY protocol version 2");
        refused(SIG + "31" + "12" + v4, "not PROXY protocol version 2");
        refused(SIG + "20" + "12" + v4, "not a PROXY command");   // LOCAL
        refused(SIG + "2f" + "12" + v4, "not a PROXY command");
        refused(SIG + "21" + "11" + v4, "not DGRAM over INET or INET6");   // TCP over IPv4
        refused(SIG + "21" + "21" + "0024" + "00".repeat(36), "not DGRAM over INET or INET6");
        refused(SIG + "21" + "32" + "00d8" + "00".repeat(216), "not DGRAM over INET or INET6");   // UNIX
        refused(SIG + "21" + "02" + v4, "not DGRAM over INET or INET6");   // UNSPEC
    }

    @Test
    void refusesLengthsThatDoNotFit() {
        refused(SIG + "21" + "12" + "000d" + "00".repeat(12), "header longer than the datagram");
        refused(SIG + "21" + "12" + "ffff" + "00".repeat(12), "header longer than the datagram");
        refused(SIG + "21" + "12" + "000b" + "00".repeat(12), "address block too short");
        refused(SIG + "21" + "22" + "000c" + "00".repeat(36), "address block too short");
    }

    @Test
    void refusesBrokenTlvs() {
        String v4 = "00".repeat(12);
        refused(SIG + "21" + "12" + "000e" + v4 + "e000", "truncated TLV");
        refused(SIG + "21" + "12" + "0010" + v4 + "e0" + "0002" + "00", "TLV longer than the header");
        // a TLV that claims bytes beyond the header's length, even though the datagram has them
        refused(SIG + "21" + "12" + "000f" + v4 + "04" + "0002" + "abcd", "TLV longer than the header");
        refused(SIG + "21" + "12" + "0013" + v4 + "e0" + "0004" + "00000001", "correlation TLV is not 8 bytes");
        refused(SIG + "21" + "12" + "0022" + v4 + ("e0" + "0008" + "0000000000000001").repeat(2),
                "duplicate correlation TLV");
        refused(SIG + "21" + "12" + String.format("%04x", 12 + 3 * (ProxyV2.MAX_TLVS + 1)) + v4
                + "040000".repeat(ProxyV2.MAX_TLVS + 1), "too many TLVs");
    }

    @Test
    void neverReadsPastTheWriterIndex() {
        ByteBuf full = Unpooled.buffer();
        ProxyV2.write(full, CLIENT6, INGRESS6, 3);
        // Every truncation of a valid header sits in a larger buffer whose hidden tail would make it valid.
        for (int cut = 0; cut < full.readableBytes(); cut++) {
            ByteBuf truncated = full.copy().writerIndex(cut);
            assertThatThrownBy(() -> ProxyV2.read(truncated)).isInstanceOf(ProxyHeaderException.class);
        }
    }

    @Test
    void randomBytesNeverThrowAnythingButTheTypedException() {
        Random random = new Random(1);
        byte[] signature = hex(SIG);
        for (int i = 0; i < 20_000; i++) {
            byte[] d = new byte[random.nextInt(120)];
            random.nextBytes(d);
            if (d.length >= 16 && random.nextBoolean()) {
                // Keep the signature often so the fuzz gets past the first check.
                System.arraycopy(signature, 0, d, 0, 12);
                d[12] = 0x21;
                d[13] = random.nextBoolean() ? (byte) 0x12 : (byte) 0x22;
                int rest = random.nextInt(Math.max(1, d.length - 14));
                d[14] = (byte) (rest >> 8);
                d[15] = (byte) rest;
            }
            ByteBuf buf = Unpooled.wrappedBuffer(d);
            try {
                ProxyHeader h = ProxyV2.read(buf);
                assertThat(h.length()).isBetween(16, d.length);
            } catch (ProxyHeaderException expected) {
                // the only exception allowed
            }
        }
    }

    @Test
    void refusesUnresolvedAddressesOnWrite() {
        assertThatThrownBy(() -> ProxyV2.write(Unpooled.buffer(), InetSocketAddress.createUnresolved("x", 1), INGRESS4, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
