package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.id20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.tracker.peers.TestPeer;
import io.shoal.tracker.protocol.AnnounceEvent;
import io.shoal.tracker.server.TrackerMetrics.Kind;
import io.shoal.tracker.server.TrackerMetrics.Protocol;
import io.shoal.tracker.server.TrackerMetrics.Result;
import io.shoal.tracker.server.UdpTestClient.AnnounceReply;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BEP 15 against a real shard on loopback, IPv4 and IPv6. */
class UdpTrackerTest {
    private static final Duration SILENCE = Duration.ofMillis(300);
    private static final AtomicInteger LABELS = new AtomicInteger(1000);
    private static TestShard shard;

    @BeforeAll
    static void start() throws Exception {
        shard = TestShard.start();
    }

    @AfterAll
    static void stop() {
        shard.close();
    }

    private static byte[] freshHash() {
        return id20(LABELS.incrementAndGet());
    }

    private static long count(Kind kind, Result result) {
        return shard.runtime.metrics().requests(Protocol.UDP, kind, result);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void connectAnnounceAndScrapeRoundTrip(String host) throws Exception {
        InetAddress address = InetAddress.getByName(host);
        byte[] hash = freshHash();
        try (UdpTestClient seeder = new UdpTestClient(shard.udp(address));
             UdpTestClient leecher = new UdpTestClient(shard.udp(address))) {
            AnnounceReply first = seeder.announce(seeder.connect(), hash, id20(1), 0, AnnounceEvent.STARTED, -1, 6001);
            assertThat(first.seeders()).isEqualTo(1);
            assertThat(first.leechers()).isZero();
            assertThat(first.peers()).as("a peer never receives itself").isEmpty();
            assertThat(first.interval()).isBetween(1800, 1890);

            AnnounceReply second = leecher.announce(leecher.connect(), hash, id20(2), 500, AnnounceEvent.STARTED, 10, 6002);
            assertThat(second.seeders()).isEqualTo(1);
            assertThat(second.leechers()).isEqualTo(1);
            int entry = address.getAddress().length + 2;
            assertThat(second.peers()).hasSize(entry);
            assertThat(Arrays.copyOf(second.peers(), entry - 2)).isEqualTo(address.getAddress());
            int port = (second.peers()[entry - 2] & 0xFF) << 8 | (second.peers()[entry - 1] & 0xFF);
            assertThat(port).isEqualTo(6001);

            long id = leecher.connect();
            byte[] unknown = freshHash();
            ByteBuffer r = leecher.roundTrip(UdpTestClient.scrape(id, 77, List.of(hash, unknown)));
            assertThat(r.remaining()).as("8 + 12 per hash").isEqualTo(32);
            assertThat(r.getInt()).isEqualTo(2);
            assertThat(r.getInt()).isEqualTo(77);
            assertThat(new int[] {r.getInt(), r.getInt(), r.getInt()}).as("seeders, completed, leechers")
                    .containsExactly(1, 0, 1);
            assertThat(new int[] {r.getInt(), r.getInt(), r.getInt()}).containsExactly(0, 0, 0);
        }
    }

    @Test
    void repliesCarryOnlyTheAnnouncersFamily() throws Exception {
        byte[] hash = freshHash();
        try (UdpTestClient v4 = new UdpTestClient(shard.udp(TestShard.V4));
             UdpTestClient v6 = new UdpTestClient(shard.udp(TestShard.V6))) {
            v4.announce(v4.connect(), hash, id20(1), 0, AnnounceEvent.STARTED, -1, 7001);
            AnnounceReply six = v6.announce(v6.connect(), hash, id20(2), 0, AnnounceEvent.STARTED, -1, 7002);
            assertThat(six.seeders()).as("counts cover both families").isEqualTo(2);
            assertThat(six.peers()).as("no IPv4 peer in an IPv6 reply").isEmpty();
            AnnounceReply four = v4.announce(v4.connect(), hash, id20(1), 0, AnnounceEvent.NONE, -1, 7001);
            assertThat(four.peers()).as("no IPv6 peer in an IPv4 reply").isEmpty();
        }
    }

    @Test
    void stoppedRemovesThePeerAndReturnsNone() throws Exception {
        byte[] hash = freshHash();
        try (UdpTestClient a = new UdpTestClient(shard.udp(TestShard.V4));
             UdpTestClient b = new UdpTestClient(shard.udp(TestShard.V4))) {
            a.announce(a.connect(), hash, id20(1), 10, AnnounceEvent.STARTED, -1, 6101);
            b.announce(b.connect(), hash, id20(2), 10, AnnounceEvent.STARTED, -1, 6102);
            AnnounceReply stopped = a.announce(a.connect(), hash, id20(1), 10, AnnounceEvent.STOPPED, -1, 6101);
            assertThat(stopped.peers()).isEmpty();
            AnnounceReply again = b.announce(b.connect(), hash, id20(2), 10, AnnounceEvent.NONE, -1, 6102);
            assertThat(again.leechers()).isEqualTo(1);
            assertThat(again.peers()).isEmpty();
        }
    }

    @Test
    void badConnectionIdIsDroppedSilently() throws Exception {
        long before = count(Kind.ANNOUNCE, Result.DROPPED);
        try (UdpTestClient c = new UdpTestClient(shard.udp(TestShard.V4))) {
            c.send(UdpTestClient.announce(0x1234_5678_9ABCL, 5, freshHash(), id20(1), 0, AnnounceEvent.STARTED, -1, 6201));
            await().atMost(Duration.ofSeconds(5)).until(() -> count(Kind.ANNOUNCE, Result.DROPPED) == before + 1);
            assertThat(c.receive(SILENCE)).isEmpty();
        }
    }

    @Test
    void connectionIdOfAnotherAddressIsDropped() throws Exception {
        long before = count(Kind.SCRAPE, Result.DROPPED);
        try (UdpTestClient v4 = new UdpTestClient(shard.udp(TestShard.V4));
             UdpTestClient v6 = new UdpTestClient(shard.udp(TestShard.V6))) {
            long issuedToV4 = v4.connect();
            v6.send(UdpTestClient.scrape(issuedToV4, 9, List.of(freshHash())));
            await().atMost(Duration.ofSeconds(5)).until(() -> count(Kind.SCRAPE, Result.DROPPED) == before + 1);
            assertThat(v6.receive(SILENCE)).isEmpty();
        }
    }

    @Test
    void malformedRequestWithValidIdGetsAnErrorReply() throws Exception {
        try (UdpTestClient c = new UdpTestClient(shard.udp(TestShard.V4))) {
            long id = c.connect();
            byte[] shortAnnounce = Arrays.copyOf(UdpTestClient.announce(id, 31, freshHash(), id20(1), 0,
                    AnnounceEvent.STARTED, -1, 6301), 60);
            assertThat(UdpTestClient.errorText(c.roundTrip(shortAnnounce), 31)).isEqualTo("bad announce length");

            byte[] unknownAction = ByteBuffer.allocate(16).putLong(id).putInt(9).putInt(32).array();
            assertThat(UdpTestClient.errorText(c.roundTrip(unknownAction), 32)).isEqualTo("unknown action");

            // The server still serves the same client normally afterwards.
            assertThat(c.announce(id, freshHash(), id20(1), 0, AnnounceEvent.STARTED, -1, 6301).seeders()).isEqualTo(1);
        }
    }

    @Test
    void malformedRequestWithoutValidIdIsDropped() throws Exception {
        long before = count(Kind.INVALID, Result.DROPPED);
        try (UdpTestClient c = new UdpTestClient(shard.udp(TestShard.V6))) {
            c.send(ByteBuffer.allocate(16).putLong(77).putInt(9).putInt(1).array());
            c.send(new byte[] {1, 2, 3});
            c.send(ByteBuffer.allocate(16).putLong(0x1234).putInt(0).putInt(1).array()); // connect without the magic
            await().atMost(Duration.ofSeconds(5)).until(() -> count(Kind.INVALID, Result.DROPPED) == before + 3);
            assertThat(c.receive(SILENCE)).isEmpty();
        }
    }

    @Test
    void oversizedDatagramIsDroppedUnread() throws Exception {
        long before = count(Kind.INVALID, Result.DROPPED);
        try (UdpTestClient c = new UdpTestClient(shard.udp(TestShard.V4))) {
            long id = c.connect();
            byte[] big = Arrays.copyOf(UdpTestClient.scrape(id, 40, List.of(freshHash())), 1600);
            c.send(big);
            await().atMost(Duration.ofSeconds(5)).until(() -> count(Kind.INVALID, Result.DROPPED) == before + 1);
            assertThat(c.receive(SILENCE)).isEmpty();
            assertThat(count(Kind.SCRAPE, Result.OK)).isNotNegative();
        }
    }

    @Test
    void portZeroIsServedButNotKept() throws Exception {
        byte[] hash = freshHash();
        try (UdpTestClient a = new UdpTestClient(shard.udp(TestShard.V4));
             UdpTestClient b = new UdpTestClient(shard.udp(TestShard.V4))) {
            a.announce(a.connect(), hash, id20(1), 0, AnnounceEvent.STARTED, -1, 6401);
            AnnounceReply unreachable = b.announce(b.connect(), hash, id20(2), 100, AnnounceEvent.STARTED, -1, 0);
            assertThat(unreachable.peers()).hasSize(6);
            assertThat(unreachable.seeders()).isEqualTo(1);
            AnnounceReply later = a.announce(a.connect(), hash, id20(1), 0, AnnounceEvent.NONE, -1, 6401);
            assertThat(later.leechers()).as("the port-0 announcer was not kept").isZero();
        }
    }

    @Test
    void storeRefusalsBecomeErrorReplies() throws Exception {
        try (TestShard small = TestShard.start(b -> b.maxTorrents(1).bind("127.0.0.1"));
             UdpTestClient c = new UdpTestClient(small.udp(TestShard.V4))) {
            long id = c.connect();
            c.announce(id, freshHash(), id20(1), 0, AnnounceEvent.STARTED, -1, 6601);
            ByteBuffer r = c.roundTrip(UdpTestClient.announce(id, 66, freshHash(), id20(1), 0, AnnounceEvent.STARTED, -1,
                    6601));
            assertThat(UdpTestClient.errorText(r, 66)).isNotBlank().isNotEqualTo(Failure.INTERNAL_ERROR);
        }
    }

    @Test
    void announceRepliesFitOneDatagramWhateverNumwantMaxSays() throws Exception {
        try (TestShard big = TestShard.start(b -> b.numwantMax(2000))) {
            byte[] hash = freshHash();
            for (int i = 0; i < 250; i++) {
                big.store.announce(TestPeer.v4(i, 7000).to(hash).numwant(0).build()).toCompletableFuture().join();
            }
            for (int i = 0; i < 100; i++) {
                big.store.announce(TestPeer.v6(i, 7000).to(hash).numwant(0).build()).toCompletableFuture().join();
            }
            try (UdpTestClient v4 = new UdpTestClient(big.udp(TestShard.V4));
                 UdpTestClient v6 = new UdpTestClient(big.udp(TestShard.V6))) {
                AnnounceReply r4 = v4.announce(v4.connect(), hash, id20(1), 0, AnnounceEvent.NONE, 1500, 6701);
                assertThat(r4.peerCount(6)).as("opentracker's IPv4 cap: 20 + 6 * 200 = 1220 bytes").isEqualTo(200);
                AnnounceReply r6 = v6.announce(v6.connect(), hash, id20(2), 0, AnnounceEvent.NONE, 1500, 6702);
                assertThat(r6.peerCount(18)).as("IPv6: 20 + 18 * 66 = 1208 bytes").isEqualTo(66);
                assertThat(20 + r6.peers().length).isLessThanOrEqualTo(1232);
                AnnounceReply small = v6.announce(v6.connect(), hash, id20(2), 0, AnnounceEvent.NONE, 10, 6702);
                assertThat(small.peerCount(18)).as("a smaller numwant is kept").isEqualTo(10);
            }
        }
    }

    @Test
    void nioTransportServesUdpToo() throws Exception {
        try (TestShard nio = TestShard.start(b -> b.transport(TransportKind.NIO).bind("127.0.0.1"));
             UdpTestClient c = new UdpTestClient(nio.udp(TestShard.V4))) {
            assertThat(nio.runtime.transportName()).isEqualTo("nio");
            AnnounceReply r = c.announce(c.connect(), freshHash(), id20(1), 0, AnnounceEvent.STARTED, -1, 6501);
            assertThat(r.seeders()).isEqualTo(1);
        }
    }
}
