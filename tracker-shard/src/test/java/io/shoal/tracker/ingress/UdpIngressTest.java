package io.shoal.tracker.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.shoal.routing.ShardSlots;
import io.shoal.routing.SlotMap;
import io.shoal.routing.SlotRange;
import io.shoal.tracker.ingress.IngressMetrics.Drop;
import io.shoal.tracker.ingress.IngressMetrics.Kind;
import io.shoal.tracker.ingress.IngressMetrics.Result;
import io.shoal.tracker.protocol.ConnectionIds;
import io.shoal.tracker.protocol.ProxyV2;
import io.shoal.tracker.server.ShardRuntime;
import io.shoal.tracker.server.TrackerMetrics;
import io.shoal.tracker.server.Transport;
import io.shoal.tracker.server.TransportKind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UDP ingress in front of real shards, everything on loopback. */
class UdpIngressTest {
    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private static final Duration SILENCE = Duration.ofMillis(300);
    private static final AtomicInteger LABELS = new AtomicInteger();
    private static final int[] FIRST_BYTE = {0x10, 0x60, 0xC0};   // a slot in each third of an even 3-shard map

    private final byte[] key = ConnectionIds.randomKey();
    private final List<AutoCloseable> open = new ArrayList<>();
    private SimpleMeterRegistry registry;
    private IngressMetrics metrics;
    private UdpIngress ingress;
    private EventLoopGroup group;

    @TempDir
    Path dir;

    private TestShards shards(int n) throws Exception {
        TestShards s = new TestShards(n, key);
        open.add(s);
        return s;
    }

    private RouteKeeper keeper(SlotMap map) {
        RouteKeeper k = RouteKeeper.create();
        assertThat(k.offer(map, "test")).isEqualTo(RouteKeeper.Outcome.INSTALLED);
        return k;
    }

    private InetSocketAddress start(RouteKeeper keeper, int maxPending) throws Exception {
        Transport transport = Transport.select(TransportKind.AUTO);
        group = transport.newGroup(2, "test-ingress");
        registry = new SimpleMeterRegistry();
        metrics = new IngressMetrics(registry, keeper::epoch);
        ingress = UdpIngress.start(new UdpIngressSettings(TIMEOUT, maxPending, key, Duration.ofSeconds(60)),
                transport, group, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), keeper, metrics);
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), ingress.port());
    }

    private Bep15Client client(InetSocketAddress at) throws Exception {
        Bep15Client c = new Bep15Client(at);
        open.add(c);
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        if (ingress != null) {
            ingress.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(5000);
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** An infohash owned by {@code shard} of an even 3-shard map. */
    private static byte[] hashOf(int shard) {
        byte[] h = new byte[20];
        new Random(LABELS.incrementAndGet()).nextBytes(h);
        h[0] = (byte) FIRST_BYTE[shard];
        return h;
    }

    private static long announces(ShardRuntime shard) {
        return shard.metrics().requests(TrackerMetrics.Protocol.UDP, TrackerMetrics.Kind.ANNOUNCE,
                TrackerMetrics.Result.OK);
    }

    @Test
    void connectAnswersLocallyAndAnnouncesLandOnTheirShard() throws Exception {
        TestShards s = shards(3);
        InetSocketAddress at = start(keeper(s.evenMap(1)), 1024);
        Bep15Client alice = client(at);
        Bep15Client bob = client(at);
        long aliceId = alice.connect();
        long bobId = bob.connect();
        assertThat(s.get(0).metrics().requests(TrackerMetrics.Protocol.UDP, TrackerMetrics.Kind.CONNECT,
                TrackerMetrics.Result.OK)).as("connect never reaches a shard").isZero();

        for (int shard = 0; shard < 3; shard++) {
            byte[] hash = hashOf(shard);
            long[] before = {announces(s.get(0)), announces(s.get(1)), announces(s.get(2))};
            ByteBuffer first = alice.announce(aliceId, hash, new byte[20], 0, 2, 6881);
            first.getInt();
            assertThat(first.getInt()).as("leechers").isZero();
            assertThat(first.getInt()).as("seeders").isEqualTo(1);

            ByteBuffer second = bob.announce(bobId, hash, filled(20, 2), 100, 2, 6882);
            second.getInt();
            assertThat(second.getInt()).isEqualTo(1);
            assertThat(second.getInt()).isEqualTo(1);
            byte[] peer = new byte[6];
            second.get(peer);
            assertThat(InetAddress.getByAddress(java.util.Arrays.copyOf(peer, 4))).as("the client's own address")
                    .isEqualTo(InetAddress.getLoopbackAddress());
            assertThat((peer[4] & 0xFF) << 8 | (peer[5] & 0xFF)).isEqualTo(6881);
            for (int k = 0; k < 3; k++) {
                assertThat(announces(s.get(k)) - before[k]).as("shard %d for a hash of shard %d", k, shard)
                        .isEqualTo(k == shard ? 2 : 0);
            }
            assertThat(metrics.count(Kind.ANNOUNCE, shard, Result.OK)).isEqualTo(2);
        }
        assertThat(metrics.count(Kind.CONNECT, IngressMetrics.ALL, Result.OK)).isEqualTo(2);
        assertThat(ingress.inFlight()).isZero();
    }

    @Test
    void aScrapeAcrossShardsIsSplitAndMergedInOrder() throws Exception {
        TestShards s = shards(3);
        InetSocketAddress at = start(keeper(s.evenMap(1)), 1024);
        Bep15Client c = client(at);
        long id = c.connect();
        byte[] a = hashOf(0);
        byte[] b = hashOf(1);
        byte[] d = hashOf(2);
        byte[] unknown = hashOf(1);
        c.announce(id, a, filled(20, 1), 0, 2, 1001);          // a: 1 seeder
        c.announce(id, b, filled(20, 2), 5, 2, 1002);          // b: 1 leecher
        c.announce(id, b, filled(20, 3), 0, 2, 1003);          //    + 1 seeder
        c.announce(id, d, filled(20, 4), 5, 2, 1004);          // d: 1 leecher

        List<byte[]> order = List.of(b, a, unknown, d, a);
        ByteBuffer r = c.roundTrip(Bep15Client.scrape(id, 4242, order));
        assertThat(r.remaining()).isEqualTo(8 + 12 * order.size());
        assertThat(r.getInt()).isEqualTo(2);
        assertThat(r.getInt()).isEqualTo(4242);
        int[][] expected = {{1, 0, 1}, {1, 0, 0}, {0, 0, 0}, {0, 0, 1}, {1, 0, 0}};
        for (int[] e : expected) {
            assertThat(new int[] {r.getInt(), r.getInt(), r.getInt()}).containsExactly(e);
        }
        assertThat(metrics.count(Kind.SCRAPE, IngressMetrics.ALL, Result.OK)).isEqualTo(1);

        // one shard's hashes only: forwarded whole
        ByteBuffer single = c.roundTrip(Bep15Client.scrape(id, 7, List.of(b, unknown)));
        assertThat(single.remaining()).isEqualTo(8 + 24);
        assertThat(metrics.count(Kind.SCRAPE, 1, Result.OK)).isEqualTo(1);
    }

    @Test
    void aStoppedShardCostsItsOwnRequestsATimelyErrorAndNothingElse() throws Exception {
        TestShards s = shards(2);
        SlotMap map = SlotMap.even(3, k -> s.endpoint(Math.min(k, 1)));
        // shards 0 and 1 of the map on TestShards 0 and 1; map shard 2 also on TestShard 1
        InetSocketAddress at = start(keeper(new SlotMap(1, map.shards())), 1024);
        Bep15Client c = client(at);
        long id = c.connect();
        c.announce(id, hashOf(0), filled(20, 1), 0, 2, 1);
        s.get(0).close();

        int tx = 99;
        long started = System.nanoTime();
        ByteBuffer r = c.roundTrip(Bep15Client.announce(id, tx, hashOf(0), filled(20, 1), 0, 0, 1));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(Bep15Client.error(r, tx)).isEqualTo(UdpIngressLoop.TIMED_OUT);
        assertThat(tookMillis).as("answered within the timeout and a sweep tick").isBetween(
                TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 1000);
        assertThat(metrics.count(Kind.ANNOUNCE, 0, Result.TIMEOUT)).isEqualTo(1);

        // the other shard keeps working meanwhile
        c.announce(id, hashOf(1), filled(20, 2), 0, 2, 2);
        // a scrape touching the dead shard fails as a whole, with an error, not a partial answer
        ByteBuffer mixed = c.roundTrip(Bep15Client.scrape(id, 5, List.of(hashOf(1), hashOf(0))));
        assertThat(Bep15Client.error(mixed, 5)).isEqualTo(UdpIngressLoop.TIMED_OUT);

        // after enough timeouts the dead replica is out: answers come at once, not after the timeout
        for (int i = 0; i < ReplicaHealth.FAILURES_TO_EJECT; i++) {
            c.roundTrip(Bep15Client.announce(id, i, hashOf(0), filled(20, 1), 0, 0, 1));
        }
        long t0 = System.nanoTime();
        ByteBuffer quick = c.roundTrip(Bep15Client.announce(id, 77, hashOf(0), filled(20, 1), 0, 0, 1));
        assertThat(Bep15Client.error(quick, 77)).isEqualTo(UdpIngressLoop.UNAVAILABLE);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(TIMEOUT.toMillis());
        assertThat(metrics.count(Kind.ANNOUNCE, 0, Result.REFUSED)).isGreaterThanOrEqualTo(1);
        assertThat(ingress.inFlight()).isZero();
    }

    @Test
    void aKilledReplicaIsTakenOutAndItsShardKeepsBeingServedByTheOther() throws Exception {
        int port = io.shoal.tracker.testing.LoopbackPorts.freeTcpAndUdp();
        ShardRuntime a = replica("127.0.0.1", port);
        ShardRuntime b = replica("127.0.0.2", port);
        open.add(b);
        RouteKeeper keeper = new RouteKeeper(host -> List.of(InetAddress.getByName("127.0.0.1"),
                InetAddress.getByName("127.0.0.2")), ReplicaHealth.standard());
        assertThat(keeper.offer(SlotMap.even(1, k -> "shard-0:" + port), "test")).isEqualTo(RouteKeeper.Outcome.INSTALLED);
        InetSocketAddress at = start(keeper, 1024);
        Bep15Client c = client(at);
        long id = c.connect();
        for (int i = 0; i < 4; i++) {
            c.announce(id, hashOf(0), filled(20, 1), 0, 2, 1);
        }
        assertThat(announces(a)).as("spread over both replicas").isEqualTo(2);
        assertThat(announces(b)).isEqualTo(2);

        a.close();
        int errors = 0;
        for (int i = 0; i < 12; i++) {
            ByteBuffer r = c.roundTrip(Bep15Client.announce(id, i, hashOf(0), filled(20, 1), 0, 2, 1));
            if (r.getInt(0) == 3) {
                errors++;
            }
        }
        assertThat(errors).as("only the requests that went to the dead replica before it was taken out")
                .isEqualTo(ReplicaHealth.FAILURES_TO_EJECT);
        assertThat(announces(b)).isEqualTo(2 + 12 - ReplicaHealth.FAILURES_TO_EJECT);
        assertThat(keeper.get().pick(0)).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port));
    }

    private ShardRuntime replica(String address, int internalPort) throws Exception {
        io.shoal.tracker.server.ShardConfig config = io.shoal.tracker.server.ShardConfig.builder()
                .bind(address).port(0).adminPort(0).internalPort(internalPort).threads(1).connectionIdKey(key)
                .build();
        return ShardRuntime.start(config,
                new io.shoal.tracker.peers.memory.MemoryPeerStore(config.peerStoreConfig()));
    }

    @Test
    void theInFlightTableIsBounded() throws Exception {
        // A "shard" that never answers: a bound socket that reads nothing.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SlotMap map = SlotMap.even(1, k -> "127.0.0.1:" + silent.getLocalPort());
            // One in flight per event loop; one client's datagrams all land on one loop.
            InetSocketAddress at = start(keeper(map), 1);
            Bep15Client c = client(at);
            long id = c.connect();
            c.send(Bep15Client.announce(id, 1, hashOf(0), filled(20, 1), 0, 0, 1));
            ByteBuffer r = c.roundTrip(Bep15Client.announce(id, 2, hashOf(0), filled(20, 1), 0, 0, 1));
            assertThat(Bep15Client.error(r, 2)).isEqualTo(UdpIngressLoop.BUSY);
            assertThat(Bep15Client.error(c.receive(Duration.ofSeconds(3)).orElseThrow(), 1))
                    .isEqualTo(UdpIngressLoop.TIMED_OUT);
        }
    }

    @Test
    void aRoutingFileChangeSwitchesRoutes() throws Exception {
        TestShards s = shards(2);
        Path file = dir.resolve("routing.json");
        Files.writeString(file, s.evenMap(1).toJson());
        RouteKeeper keeper = RouteKeeper.create();
        RoutingFileWatcher watcher = new RoutingFileWatcher(file, keeper);
        assertThat(watcher.poll()).isEqualTo(RouteKeeper.Outcome.INSTALLED);
        InetSocketAddress at = start(keeper, 1024);
        Bep15Client c = client(at);
        long id = c.connect();
        byte[] hash = hashOf(0);
        c.announce(id, hash, filled(20, 1), 0, 2, 1);
        assertThat(announces(s.get(0))).isEqualTo(1);

        SlotMap allOnOne = new SlotMap(2, List.of(new ShardSlots(0, List.of(new SlotRange(0, 65535)), s.endpoint(1))));
        Files.writeString(file, allOnOne.toJson());
        assertThat(watcher.poll()).isEqualTo(RouteKeeper.Outcome.INSTALLED);
        c.announce(id, hash, filled(20, 1), 0, 2, 1);
        assertThat(announces(s.get(1))).as("the same hash now lands on the other shard").isEqualTo(1);
        assertThat(announces(s.get(0))).isEqualTo(1);
        assertThat(registry.get(IngressMetrics.EPOCH).gauge().value()).isEqualTo(2.0);

        Files.writeString(file, s.evenMap(1).toJson());
        assertThat(watcher.poll()).as("stale epoch").isEqualTo(RouteKeeper.Outcome.REFUSED);
        c.announce(id, hash, filled(20, 1), 0, 2, 1);
        assertThat(announces(s.get(1))).isEqualTo(2);
    }

    @Test
    void hostileDatagramsDoNothingBad() throws Exception {
        TestShards s = shards(1);
        InetSocketAddress at = start(keeper(s.evenMap(1)), 1024);
        Bep15Client c = client(at);
        long id = c.connect();
        byte[] hash = hashOf(0);
        byte[] proxied = new byte[60];
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(proxied).clear();
        ProxyV2.write(b, new InetSocketAddress("192.0.2.1", 1), at, 1);
        byte[][] dropped = {
            new byte[0],
            new byte[15],
            new byte[2000],
            Bep15Client.announce(id ^ 1, 1, hash, filled(20, 1), 0, 2, 1),            // wrong connection id
            Bep15Client.announce(0x41727101980L, 1, hash, filled(20, 1), 0, 2, 1),     // protocol id as id
            ByteBuffer.allocate(16).putLong(1).putInt(0).putInt(1).array(),            // connect without protocol id
            proxied,                                                                  // a PROXY header, publicly
        };
        for (byte[] d : dropped) {
            c.send(d);
        }
        assertThat(c.receive(SILENCE)).as("no answer to junk").isEmpty();
        assertThat(metrics.dropped(Drop.MALFORMED) + metrics.dropped(Drop.CONNECTION_ID)).isEqualTo(dropped.length);

        // Malformed requests with a valid id get BEP 15 errors, as from a shard
        ByteBuffer shortAnnounce = c.roundTrip(java.util.Arrays.copyOf(
                Bep15Client.announce(id, 3, hash, filled(20, 1), 0, 2, 1), 50));
        assertThat(Bep15Client.error(shortAnnounce, 3)).isEqualTo("bad announce length");
        ByteBuffer badScrape = c.roundTrip(java.util.Arrays.copyOf(Bep15Client.scrape(id, 4, List.of(hash)), 30));
        assertThat(Bep15Client.error(badScrape, 4)).isEqualTo("bad scrape length");
        ByteBuffer unknownAction = c.roundTrip(ByteBuffer.allocate(16).putLong(id).putInt(9).putInt(5).array());
        assertThat(Bep15Client.error(unknownAction, 5)).isEqualTo("unknown action");

        // Forged shard replies to every upstream port: nothing reaches the client.
        for (int port : ingress.upstreamPorts()) {
            try (DatagramSocket forger = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                io.netty.buffer.ByteBuf f = io.netty.buffer.Unpooled.buffer();
                ProxyV2.write(f, new InetSocketAddress(InetAddress.getLoopbackAddress(), c.port()), at,
                        Long.MIN_VALUE | 1);
                f.writeInt(1).writeInt(3).writeInt(1800).writeInt(0).writeInt(0);
                byte[] bytes = io.netty.buffer.ByteBufUtil.getBytes(f);
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                forger.send(new DatagramPacket(bytes, bytes.length, to));
                forger.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, to));
            }
        }
        assertThat(c.receive(SILENCE)).isEmpty();
        assertThat(metrics.dropped(Drop.UNMATCHED_REPLY)).isEqualTo(2L * ingress.upstreamPorts().size());

        // and it still works
        c.announce(id, hash, filled(20, 1), 0, 2, 1);
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
