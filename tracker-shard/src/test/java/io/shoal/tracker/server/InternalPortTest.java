package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.id20;
import static io.shoal.tracker.server.HttpAnnounces.announceQuery;
import static io.shoal.tracker.server.HttpAnnounces.getDict;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.protocol.AnnounceEvent;
import io.shoal.tracker.protocol.ProxyV2;
import io.shoal.tracker.server.TrackerMetrics.Kind;
import io.shoal.tracker.server.TrackerMetrics.Protocol;
import io.shoal.tracker.server.TrackerMetrics.Result;
import io.shoal.tracker.testing.TrackerRequests;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shard's internal port: PROXY v2 datagrams from an ingress (here a plain socket), and HTTP. */
class InternalPortTest {
    private static final Duration SILENCE = Duration.ofMillis(300);
    private static final AtomicInteger LABELS = new AtomicInteger(9000);
    private static final InetSocketAddress PUBLIC = new InetSocketAddress(TestShard.V4, 6969);
    private static TestShard shard;

    @BeforeAll
    static void start() throws Exception {
        shard = TestShard.start(b -> b.internalPort(ShardConfig.EPHEMERAL_INTERNAL_PORT));
    }

    @AfterAll
    static void stop() {
        shard.close();
    }

    private static InetSocketAddress internal(InetAddress host) {
        return new InetSocketAddress(host, shard.runtime.internalUdpPort());
    }

    private static InetSocketAddress client(String literal, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    private static byte[] proxied(InetSocketAddress client, long correlation, byte[] request) {
        ByteBuf b = Unpooled.buffer();
        ProxyV2.write(b, client, PUBLIC, correlation);
        b.writeBytes(request);
        return ByteBufUtil.getBytes(b);
    }

    private static int headerLength(InetSocketAddress client) {
        return client.getAddress().getAddress().length == 4 ? ProxyV2.INET_HEADER_LENGTH : ProxyV2.INET6_HEADER_LENGTH;
    }

    /** Sends a proxied request and returns the reply after checking it starts with the header, byte for byte. */
    private static ByteBuffer roundTrip(UdpTestClient ingress, InetSocketAddress client, byte[] request) throws Exception {
        byte[] datagram = proxied(client, 0x1234_5678_9abc_def0L, request);
        ByteBuffer r = ingress.roundTrip(datagram);
        int h = headerLength(client);
        assertThat(Arrays.copyOf(r.array(), h)).as("the header comes back as sent").isEqualTo(Arrays.copyOf(datagram, h));
        r.position(h);
        return r.slice();
    }

    private static long connect(UdpTestClient ingress, InetSocketAddress client) throws Exception {
        ByteBuffer r = roundTrip(ingress, client, TrackerRequests.udpConnect(5));
        assertThat(r.remaining()).isEqualTo(16);
        assertThat(r.getInt()).isZero();
        assertThat(r.getInt()).isEqualTo(5);
        return r.getLong();
    }

    private static double dropped() {
        Counter c = shard.runtime.registry().find(ProxiedUdpHandler.DROPPED).counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void announcesAreServedAsTheHeadersClientAndAnsweredToTheSender() throws Exception {
        byte[] hash = id20(LABELS.incrementAndGet());
        InetSocketAddress alice = client("192.0.2.7", 40001);
        InetSocketAddress bob = client("198.51.100.9", 40002);
        try (UdpTestClient ingress = new UdpTestClient(internal(TestShard.V4))) {
            long aliceId = connect(ingress, alice);
            ByteBuffer first = roundTrip(ingress, alice,
                    UdpTestClient.announce(aliceId, 11, hash, id20(1), 0, AnnounceEvent.STARTED, 50, 6881));
            assertThat(first.getInt()).as("action").isEqualTo(1);
            assertThat(first.getInt()).isEqualTo(11);

            long bobId = connect(ingress, bob);
            ByteBuffer second = roundTrip(ingress, bob,
                    UdpTestClient.announce(bobId, 12, hash, id20(2), 100, AnnounceEvent.STARTED, 50, 6882));
            assertThat(second.getInt()).isEqualTo(1);
            assertThat(second.getInt()).isEqualTo(12);
            second.getInt();   // interval
            assertThat(second.getInt()).as("leechers").isEqualTo(1);
            assertThat(second.getInt()).as("seeders").isEqualTo(1);
            byte[] peer = new byte[6];
            second.get(peer);
            assertThat(HexFormat.of().formatHex(peer)).as("alice as the header named her, with her announced port")
                    .isEqualTo("c0000207" + "1ae1");
            assertThat(second.remaining()).isZero();

            // Alice's id was issued to her address: it is no good for Bob.
            roundTripSilent(ingress, proxied(bob, 1,
                    UdpTestClient.announce(aliceId, 13, hash, id20(2), 100, AnnounceEvent.NONE, 50, 6882)));
        }
    }

    @Test
    void ipv6ClientsThroughAnIpv4Ingress() throws Exception {
        byte[] hash = id20(LABELS.incrementAndGet());
        InetSocketAddress carol = client("2001:db8::5", 40003);
        try (UdpTestClient ingress = new UdpTestClient(internal(TestShard.V4))) {
            long id = connect(ingress, carol);
            roundTrip(ingress, carol, UdpTestClient.announce(id, 1, hash, id20(3), 0, AnnounceEvent.STARTED, 50, 7000));
            long id2 = connect(ingress, client("2001:db8::6", 1));
            ByteBuffer r = roundTrip(ingress, client("2001:db8::6", 1),
                    UdpTestClient.announce(id2, 2, hash, id20(4), 10, AnnounceEvent.STARTED, 50, 7001));
            assertThat(r.getInt()).isEqualTo(1);
            r.position(20);
            byte[] peer = new byte[18];
            r.get(peer);
            assertThat(HexFormat.of().formatHex(peer)).isEqualTo("20010db8000000000000000000000005" + "1b58");
        }
    }

    @Test
    void scrapeAndErrorsComeBackBehindTheHeaderWithItsTlvs() throws Exception {
        InetSocketAddress dave = client("203.0.113.4", 5000);
        // A header with a NOOP TLV before the correlation id: echoed as it was.
        byte[] header = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "21" + "12" + "001e"
                + "cb007104" + "7f000001" + "1388" + "1b39" + "04" + "0004" + "abcdef01"
                + "e0" + "0008" + "0102030405060708");
        try (UdpTestClient ingress = new UdpTestClient(internal(TestShard.V4))) {
            long id = connect(ingress, dave);
            byte[] scrape = UdpTestClient.scrape(id, 99, List.of(id20(LABELS.incrementAndGet())));
            ByteBuffer r = ingress.roundTrip(concat(header, scrape));
            assertThat(Arrays.copyOf(r.array(), header.length)).isEqualTo(header);
            r.position(header.length);
            assertThat(r.getInt()).isEqualTo(2);
            assertThat(r.getInt()).isEqualTo(99);
            assertThat(r.remaining()).isEqualTo(12);

            // A bad scrape length with a valid id is a BEP 15 error, relayed behind the header too.
            byte[] bad = Arrays.copyOf(scrape, scrape.length - 1);
            ByteBuffer e = ingress.roundTrip(concat(header, bad));
            e.position(header.length);
            assertThat(UdpTestClient.errorText(e.slice(), 99)).isEqualTo("bad scrape length");
        }
    }

    @Test
    void anythingWithoutAValidHeaderIsDroppedAndCounted() throws Exception {
        InetSocketAddress erin = client("192.0.2.50", 6000);
        try (UdpTestClient ingress = new UdpTestClient(internal(TestShard.V4))) {
            double before = dropped();
            byte[] good = proxied(erin, 3, TrackerRequests.udpConnect(1));
            byte[][] hostile = {
                TrackerRequests.udpConnect(1),                       // plain BEP 15: the public's protocol
                new byte[0],
                Arrays.copyOf(good, 15),
                Arrays.copyOf(good, ProxyV2.INET_HEADER_LENGTH - 1), // header cut inside its TLV
                withByte(good, 12, 0x20),                            // LOCAL command
                withByte(good, 13, 0x11),                            // TCP, not datagram
                withByte(good, 15, 0xff),                            // length beyond the datagram
                proxied(client("0.0.0.0", 1), 3, TrackerRequests.udpConnect(1)),
                proxied(client("224.0.0.1", 1), 3, TrackerRequests.udpConnect(1)),
            };
            for (byte[] d : hostile) {
                ingress.send(d);
            }
            assertThat(ingress.receive(SILENCE)).as("no answer to any of them").isEmpty();
            assertThat(dropped() - before).isEqualTo(hostile.length);
            // and the port still works
            assertThat(connect(ingress, erin)).isNotZero();
        }
    }

    @Test
    void thePublicPortNeverHonoursAProxyHeader() throws Exception {
        long droppedBefore = shard.runtime.metrics().requests(Protocol.UDP, Kind.INVALID, Result.DROPPED);
        try (UdpTestClient sender = new UdpTestClient(shard.udp(TestShard.V4))) {
            sender.send(proxied(client("192.0.2.8", 1), 3, TrackerRequests.udpConnect(1)));
            assertThat(sender.receive(SILENCE)).isEmpty();
        }
        assertThat(shard.runtime.metrics().requests(Protocol.UDP, Kind.INVALID, Result.DROPPED))
                .isEqualTo(droppedBefore + 1);
    }

    @Test
    void internalTcpServesTheHttpTracker() throws Exception {
        byte[] hash = id20(LABELS.incrementAndGet());
        URI uri = URI.create("http://127.0.0.1:" + shard.runtime.internalHttpPort() + "/announce?"
                + announceQuery(hash, id20(1), 6881, 0, "event=started"));
        Map<String, Object> reply = getDict(uri);
        assertThat(reply.get("complete")).isEqualTo(1L);
        assertThat(shard.runtime.internalHttpPort()).isNotEqualTo(shard.runtime.httpPort());
    }

    @Test
    void withoutTheSettingThereIsNoInternalPort() throws Exception {
        try (TestShard plain = TestShard.start()) {
            assertThat(plain.runtime.config().hasInternalPort()).isFalse();
            assertThat(plain.runtime.internalUdpPort()).isZero();
            assertThat(plain.runtime.internalHttpPort()).isZero();
        }
    }

    private static void roundTripSilent(UdpTestClient ingress, byte[] datagram) throws Exception {
        ingress.send(datagram);
        assertThat(ingress.receive(SILENCE)).isEmpty();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] withByte(byte[] d, int index, int value) {
        byte[] copy = d.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
