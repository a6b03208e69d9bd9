package io.shoal.tracker.peers;

import static io.shoal.tracker.peers.TestPeer.infoHash;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.protocol.AnnounceEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link PeerStore} obeys. A store's test extends this class and says how to open the
 * store; the store must take its time from {@link PeerStoreConfig#clock()}, which these tests move by hand.
 */
public abstract class PeerStoreContractTest {

    protected static final Duration TTL = Duration.ofMinutes(30);
    protected static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final HexFormat HEX = HexFormat.of();

    protected final MutableClock clock = new MutableClock(START);
    private final List<PeerStore> opened = new ArrayList<>();
    /** A store opened with {@link #config()} before each test. */
    protected PeerStore store;

    /** Opens a new, empty store. */
    protected abstract PeerStore newStore(PeerStoreConfig config);

    /** Called before every {@link PeerStore#stats()} the suite reads; stores whose totals lag bring them up to date. */
    protected void refreshStats(PeerStore peerStore) {
    }

    /** The suite's usual settings: a 30-minute TTL, default limits, the test clock. */
    protected PeerStoreConfig config() {
        return PeerStoreConfig.defaults().withPeerTtl(TTL).withClock(clock);
    }

    @BeforeEach
    void openStore() {
        store = open(config());
    }

    @AfterEach
    void closeStores() {
        for (PeerStore s : opened) {
            s.close();
        }
        opened.clear();
    }

    /** Opens a further store, closed after the test. */
    protected final PeerStore open(PeerStoreConfig config) {
        PeerStore s = newStore(config);
        opened.add(s);
        return s;
    }

    // ---- announcing

    @Test
    void firstAnnounceAddsThePeerAndCountsIncludeIt() {
        byte[] t = infoHash(1);
        TestPeer a = TestPeer.v4(1, 6881);
        TestPeer b = TestPeer.v4(2, 6881);

        AnnounceResult first = announce(a.to(t).event(AnnounceEvent.STARTED).build());
        assertThat(counts(first)).isEqualTo(new SwarmCounts(0, 1, 0));
        assertThat(first.peers4()).isEmpty();
        assertThat(first.peers6()).isEmpty();

        AnnounceResult second = announce(b.to(t).seeder().event(AnnounceEvent.STARTED).build());
        assertThat(counts(second)).isEqualTo(new SwarmCounts(1, 1, 0));
        assertThat(CompactPeers.v4(second)).containsExactly(a.endpoint());
        assertThat(scrape(t)).isEqualTo(new SwarmCounts(1, 1, 0));
    }

    @Test
    void aPeerNeverReceivesItself() {
        byte[] t = infoHash(2);
        List<TestPeer> swarm = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            swarm.add(TestPeer.v4(i, 6881));
        }
        swarm.add(TestPeer.v6(1, 6881));
        swarm.add(TestPeer.v6(2, 6881));
        for (TestPeer p : swarm) {
            announce(p.to(t).build());
        }
        for (int round = 0; round < 3; round++) {
            for (TestPeer p : swarm) {
                AnnounceResult r = announce(p.to(t).families(PeerFamilies.BOTH).build());
                List<TestPeer.Endpoint> got = CompactPeers.all(r);
                assertThat(got).doesNotContain(p.endpoint()).hasSize(swarm.size() - 1);
                assertThat(new HashSet<>(got)).hasSize(got.size());
            }
        }
    }

    @Test
    void identityIsAddressAndPort() {
        byte[] t = infoHash(3);
        TestPeer a = TestPeer.v4(1, 6881);
        TestPeer sameIpOtherPort = a.withPort(6882);
        announce(a.to(t).build());
        assertThat(counts(announce(sameIpOtherPort.to(t).build()))).isEqualTo(new SwarmCounts(0, 2, 0));

        byte[] newId = TestPeer.id(999_999);
        TestPeer aWithNewId = a.withPeerId(newId);
        assertThat(counts(announce(aWithNewId.to(t).build()))).isEqualTo(new SwarmCounts(0, 2, 0));

        AnnounceResult seen = announce(TestPeer.v4(3, 6881).to(t).withPeerIds().build());
        Map<TestPeer.Endpoint, byte[]> ids = idsByEndpoint4(seen);
        assertThat(ids).containsOnlyKeys(a.endpoint(), sameIpOtherPort.endpoint());
        assertThat(ids.get(a.endpoint())).isEqualTo(newId);
        assertThat(ids.get(sameIpOtherPort.endpoint())).isEqualTo(sameIpOtherPort.peerId());
    }

    @Test
    void numwantBoundsThePeersReturnedAndZeroReturnsNone() {
        byte[] t = infoHash(4);
        for (int i = 0; i < 10; i++) {
            announce(TestPeer.v4(i, 6881).to(t).build());
        }
        TestPeer me = TestPeer.v4(100, 6881);
        AnnounceResult three = announce(me.to(t).numwant(3).build());
        assertThat(CompactPeers.v4(three)).hasSize(3).doesNotHaveDuplicates().doesNotContain(me.endpoint());

        AnnounceResult none = announce(me.to(t).numwant(0).families(PeerFamilies.BOTH).build());
        assertThat(none.peers4()).isEmpty();
        assertThat(none.peers6()).isEmpty();
        assertThat(counts(none)).isEqualTo(new SwarmCounts(0, 11, 0));
    }

    @Test
    void peersArePickedAtRandom() {
        byte[] t = infoHash(5);
        for (int i = 0; i < 30; i++) {
            announce(TestPeer.v4(i, 6881).to(t).seeder(i % 3 == 0).build());
        }
        TestPeer me = TestPeer.v4(100, 6881);
        Set<TestPeer.Endpoint> distinct = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            AnnounceResult r = announce(me.to(t).numwant(5).build());
            assertThat(CompactPeers.v4(r)).hasSize(5);
            distinct.addAll(CompactPeers.v4(r));
        }
        assertThat(distinct).as("distinct peers over 40 announces of numwant 5").hasSizeGreaterThan(10);
    }

    @Test
    void stoppedRemovesThePeerAndReturnsNoPeers() {
        byte[] t = infoHash(6);
        TestPeer a = TestPeer.v4(1, 6881);
        TestPeer b = TestPeer.v4(2, 6881);
        TestPeer c = TestPeer.v4(3, 6881);
        announce(a.to(t).build());
        announce(b.to(t).seeder().build());
        announce(c.to(t).build());

        AnnounceResult stopped = announce(b.to(t).seeder().event(AnnounceEvent.STOPPED).build());
        assertThat(stopped.peers4()).isEmpty();
        assertThat(stopped.peers6()).isEmpty();
        assertThat(counts(stopped)).isEqualTo(new SwarmCounts(0, 2, 0));
        assertThat(CompactPeers.v4(announce(a.to(t).build()))).containsExactly(c.endpoint());
        assertThat(scrape(t)).isEqualTo(new SwarmCounts(0, 2, 0));
    }

    @Test
    void stoppingTheLastPeerRemovesTheTorrent() {
        byte[] t = infoHash(7);
        TestPeer a = TestPeer.v6(1, 6881);
        announce(a.to(t).build());
        assertThat(stats(store)).isEqualTo(new StoreStats(1, 1, 0, 1));

        announce(a.to(t).event(AnnounceEvent.STOPPED).build());
        assertThat(fullScrape(store)).isEmpty();
        assertThat(stats(store)).isEqualTo(StoreStats.EMPTY);
        assertThat(scrape(t).seeders() + scrape(t).leechers()).isZero();
    }

    @Test
    void stoppedFromAnUnknownPeerChangesNothing() {
        byte[] known = infoHash(8);
        announce(TestPeer.v4(1, 6881).to(known).build());

        AnnounceResult r = announce(TestPeer.v4(2, 6881).to(known).event(AnnounceEvent.STOPPED).build());
        assertThat(counts(r)).isEqualTo(new SwarmCounts(0, 1, 0));
        AnnounceResult unknown = announce(TestPeer.v4(2, 6881).to(infoHash(9)).event(AnnounceEvent.STOPPED).build());
        assertThat(counts(unknown)).isEqualTo(SwarmCounts.EMPTY);
        assertThat(stats(store)).isEqualTo(new StoreStats(1, 1, 0, 1));
        assertThat(fullScrape(store)).containsOnlyKeys(hex(known));
    }

    @Test
    void completedCountsOncePerTransitionToSeeder() {
        byte[] t = infoHash(10);
        TestPeer leecher = TestPeer.v4(1, 6881);
        TestPeer bornSeeder = TestPeer.v4(2, 6881);
        TestPeer newcomer = TestPeer.v4(3, 6881);

        announce(leecher.to(t).event(AnnounceEvent.STARTED).build());
        AnnounceResult done = announce(leecher.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        assertThat(counts(done)).isEqualTo(new SwarmCounts(1, 0, 1));
        AnnounceResult again = announce(leecher.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        assertThat(counts(again)).as("a seeder repeating completed").isEqualTo(new SwarmCounts(1, 0, 1));

        announce(bornSeeder.to(t).seeder().event(AnnounceEvent.STARTED).build());
        AnnounceResult seederCompleted = announce(bornSeeder.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        assertThat(counts(seederCompleted)).as("a peer that was always a seeder").isEqualTo(new SwarmCounts(2, 0, 1));

        AnnounceResult first = announce(newcomer.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        assertThat(counts(first)).as("a peer not yet in the swarm").isEqualTo(new SwarmCounts(3, 0, 2));
        assertThat(scrape(t)).isEqualTo(new SwarmCounts(3, 0, 2));
    }

    @Test
    void completedCountsOnlyWhenItMakesThePeerASeeder() {
        byte[] t = infoHash(18);
        TestPeer a = TestPeer.v4(1, 6881);
        announce(a.to(t).event(AnnounceEvent.STARTED).build());
        for (int i = 0; i < 3; i++) {
            AnnounceResult r = announce(a.to(t).event(AnnounceEvent.COMPLETED).build());
            assertThat(counts(r)).as("completed while still leeching (left > 0)").isEqualTo(new SwarmCounts(0, 1, 0));
        }
        AnnounceResult newLeecher = announce(TestPeer.v6(1, 6881).to(t).event(AnnounceEvent.COMPLETED).build());
        assertThat(counts(newLeecher)).as("a new peer saying completed while leeching").isEqualTo(new SwarmCounts(0, 2, 0));

        AnnounceResult done = announce(a.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        assertThat(counts(done)).isEqualTo(new SwarmCounts(1, 1, 1));
        announce(a.to(t).seeder(false).build());
        AnnounceResult again = announce(a.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        assertThat(counts(again)).as("a second leecher-to-seeder transition").isEqualTo(new SwarmCounts(1, 1, 2));
        assertThat(scrape(t)).isEqualTo(new SwarmCounts(1, 1, 2));
    }

    @Test
    void seederFlagChangesMoveCounts() {
        byte[] t = infoHash(11);
        TestPeer a = TestPeer.v4(1, 6881);
        TestPeer b = TestPeer.v6(1, 6881);
        announce(a.to(t).build());
        assertThat(counts(announce(b.to(t).build()))).isEqualTo(new SwarmCounts(0, 2, 0));

        assertThat(counts(announce(a.to(t).seeder().build()))).isEqualTo(new SwarmCounts(1, 1, 0));
        assertThat(counts(announce(b.to(t).seeder().build()))).isEqualTo(new SwarmCounts(2, 0, 0));
        assertThat(counts(announce(a.to(t).seeder(false).build()))).as("a seeder whose data failed a recheck")
                .isEqualTo(new SwarmCounts(1, 1, 0));
        assertThat(stats(store)).isEqualTo(new StoreStats(1, 2, 1, 1));
    }

    @Test
    void pausedKeepsThePeerLikeARegularAnnounce() {
        byte[] t = infoHash(12);
        TestPeer a = TestPeer.v4(1, 6881);
        TestPeer b = TestPeer.v4(2, 6881);
        announce(a.to(t).build());
        AnnounceResult paused = announce(b.to(t).event(AnnounceEvent.PAUSED).build());
        assertThat(counts(paused)).isEqualTo(new SwarmCounts(0, 2, 0));
        assertThat(CompactPeers.v4(paused)).containsExactly(a.endpoint());
    }

    @Test
    void portZeroAnnouncerIsNotKeptButReceivesPeersAndCounts() {
        byte[] t = infoHash(13);
        TestPeer a = TestPeer.v4(1, 6881);
        TestPeer b = TestPeer.v4(2, 6881);
        announce(a.to(t).build());
        announce(b.to(t).seeder().build());

        TestPeer unreachable = TestPeer.v4(9, 0);
        AnnounceResult r = announce(unreachable.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        assertThat(CompactPeers.v4(r)).containsExactlyInAnyOrder(a.endpoint(), b.endpoint());
        assertThat(counts(r)).isEqualTo(new SwarmCounts(1, 1, 0));
        assertThat(CompactPeers.v4(announce(a.to(t).build()))).containsExactly(b.endpoint());

        AnnounceResult elsewhere = announce(unreachable.to(infoHash(14)).build());
        assertThat(counts(elsewhere)).isEqualTo(SwarmCounts.EMPTY);
        assertThat(elsewhere.peers4()).isEmpty();
        assertThat(stats(store)).isEqualTo(new StoreStats(1, 2, 1, 1));
    }

    @Test
    void familiesSelectWhichPeersAreReturned() {
        byte[] t = infoHash(15);
        TestPeer a4 = TestPeer.v4(1, 6881);
        TestPeer b4 = TestPeer.v4(2, 6881);
        TestPeer a6 = TestPeer.v6(1, 6881);
        TestPeer b6 = TestPeer.v6(2, 6881);
        for (TestPeer p : List.of(a4, b4, a6, b6)) {
            announce(p.to(t).build());
        }
        TestPeer me = TestPeer.v4(3, 6881);

        AnnounceResult v4 = announce(me.to(t).families(PeerFamilies.V4).build());
        assertThat(CompactPeers.v4(v4)).containsExactlyInAnyOrder(a4.endpoint(), b4.endpoint());
        assertThat(v4.peers6()).isEmpty();

        AnnounceResult v6 = announce(me.to(t).families(PeerFamilies.V6).build());
        assertThat(v6.peers4()).isEmpty();
        assertThat(CompactPeers.v6(v6)).containsExactlyInAnyOrder(a6.endpoint(), b6.endpoint());

        AnnounceResult both = announce(me.to(t).families(PeerFamilies.BOTH).build());
        assertThat(CompactPeers.v4(both)).containsExactlyInAnyOrder(a4.endpoint(), b4.endpoint());
        assertThat(CompactPeers.v6(both)).containsExactlyInAnyOrder(a6.endpoint(), b6.endpoint());

        AnnounceResult fromV6 = announce(a6.to(t).families(PeerFamilies.BOTH).build());
        assertThat(CompactPeers.v4(fromV6)).containsExactlyInAnyOrder(a4.endpoint(), b4.endpoint(), me.endpoint());
        assertThat(CompactPeers.v6(fromV6)).containsExactly(b6.endpoint());
        assertThat(counts(fromV6)).isEqualTo(new SwarmCounts(0, 5, 0));
    }

    @Test
    void bothFamiliesShareOneNumwant() {
        byte[] t = infoHash(16);
        for (int i = 0; i < 6; i++) {
            announce(TestPeer.v4(i, 6881).to(t).build());
            announce(TestPeer.v6(i, 6881).to(t).build());
        }
        TestPeer me = TestPeer.v4(100, 6881);
        AnnounceResult four = announce(me.to(t).numwant(4).families(PeerFamilies.BOTH).build());
        assertThat(four.peerCount4() + four.peerCount6()).isEqualTo(4);

        AnnounceResult all = announce(me.to(t).numwant(100).families(PeerFamilies.BOTH).build());
        assertThat(all.peerCount4()).isEqualTo(6);
        assertThat(all.peerCount6()).isEqualTo(6);
    }

    @Test
    void peerIdsFollowTheOrderOfCompactEntries() {
        byte[] t = infoHash(17);
        Map<TestPeer.Endpoint, byte[]> expected = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            TestPeer p = TestPeer.v4(i, 6881 + i);
            announce(p.to(t).build());
            expected.put(p.endpoint(), p.peerId());
        }
        for (int i = 0; i < 3; i++) {
            TestPeer p = TestPeer.v6(i, 6881 + i);
            announce(p.to(t).build());
            expected.put(p.endpoint(), p.peerId());
        }
        TestPeer me = TestPeer.v4(100, 6881);

        AnnounceResult r = announce(me.to(t).families(PeerFamilies.BOTH).withPeerIds().build());
        List<TestPeer.Endpoint> peers4 = CompactPeers.v4(r);
        List<TestPeer.Endpoint> peers6 = CompactPeers.v6(r);
        List<byte[]> ids4 = CompactPeers.ids(r.peerIds4());
        List<byte[]> ids6 = CompactPeers.ids(r.peerIds6());
        assertThat(peers4).hasSize(8);
        assertThat(peers6).hasSize(3);
        assertThat(ids4).hasSameSizeAs(peers4);
        assertThat(ids6).hasSameSizeAs(peers6);
        for (int i = 0; i < peers4.size(); i++) {
            assertThat(ids4.get(i)).isEqualTo(expected.get(peers4.get(i)));
        }
        for (int i = 0; i < peers6.size(); i++) {
            assertThat(ids6.get(i)).isEqualTo(expected.get(peers6.get(i)));
        }

        AnnounceResult compact = announce(me.to(t).families(PeerFamilies.BOTH).build());
        assertThat(compact.peerIds4()).isNull();
        assertThat(compact.peerIds6()).isNull();
    }

    // ---- expiry

    @Test
    void peersExpireAfterTheirTtl() {
        byte[] t1 = infoHash(20);
        byte[] t2 = infoHash(21);
        announce(TestPeer.v4(1, 6881).to(t1).build());
        announce(TestPeer.v6(1, 6881).to(t1).seeder().build());
        announce(TestPeer.v4(2, 6881).to(t2).build());

        clock.advance(TTL.minusSeconds(1));
        store.expire();
        assertThat(scrape(t1)).isEqualTo(new SwarmCounts(1, 1, 0));
        assertThat(stats(store)).isEqualTo(new StoreStats(2, 3, 1, 2));

        clock.advance(Duration.ofSeconds(2));
        store.expire();
        assertThat(List.of(scrape(t1), scrape(t2))).allSatisfy(c -> {
            assertThat(c.seeders()).isZero();
            assertThat(c.leechers()).isZero();
        });
        assertThat(fullScrape(store)).isEmpty();
        assertThat(stats(store)).isEqualTo(StoreStats.EMPTY);
    }

    @Test
    void expiredPeersAreNeverReturnedEvenBeforeTheSweep() {
        byte[] t = infoHash(22);
        announce(TestPeer.v4(1, 6881).to(t).build());
        announce(TestPeer.v4(2, 6881).to(t).seeder().build());
        clock.advance(TTL.plusSeconds(1));

        AnnounceResult r = announce(TestPeer.v4(3, 6881).to(t).build());
        assertThat(r.peers4()).isEmpty();
        assertThat(counts(r)).isEqualTo(new SwarmCounts(0, 1, 0));
    }

    @Test
    void aRefreshedPeerDoesNotExpire() {
        byte[] t = infoHash(23);
        TestPeer kept = TestPeer.v4(1, 6881);
        TestPeer lost = TestPeer.v4(2, 6881);
        announce(kept.to(t).build());
        announce(lost.to(t).build());

        clock.advance(TTL.dividedBy(2));
        announce(kept.to(t).build());
        clock.advance(TTL.dividedBy(2).plusSeconds(1));
        store.expire();

        assertThat(scrape(t)).isEqualTo(new SwarmCounts(0, 1, 0));
        assertThat(CompactPeers.v4(announce(TestPeer.v4(3, 6881).to(t).build()))).containsExactly(kept.endpoint());
        assertThat(stats(store)).isEqualTo(new StoreStats(1, 2, 0, 2));
    }

    // ---- download counts of torrents without peers

    @Test
    void theDownloadCountOutlivesTheLastPeerStopping() {
        byte[] t = infoHash(24);
        TestPeer a = TestPeer.v4(1, 6881);
        announce(a.to(t).event(AnnounceEvent.STARTED).build());
        announce(a.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        AnnounceResult stopped = announce(a.to(t).seeder().event(AnnounceEvent.STOPPED).build());
        assertThat(counts(stopped)).isEqualTo(new SwarmCounts(0, 0, 1));

        assertThat(scrape(t)).isEqualTo(new SwarmCounts(0, 0, 1));
        assertThat(stats(store)).as("a peerless torrent is not a torrent in the totals").isEqualTo(StoreStats.EMPTY);
        assertThat(fullScrape(store)).as("nor in a full scrape").isEmpty();
        assertThat(counts(announce(TestPeer.v4(9, 0).to(t).build()))).as("port 0 sees the count")
                .isEqualTo(new SwarmCounts(0, 0, 1));

        TestPeer b = TestPeer.v6(2, 6881);
        announce(b.to(t).event(AnnounceEvent.STARTED).build());
        AnnounceResult finished = announce(b.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        assertThat(counts(finished)).as("counting continues").isEqualTo(new SwarmCounts(1, 0, 2));
        assertThat(stats(store)).isEqualTo(new StoreStats(1, 1, 1, 0));
        assertThat(fullScrape(store)).containsOnly(Map.entry(hex(t), new SwarmCounts(1, 0, 2)));
    }

    @Test
    void theDownloadCountOutlivesExpiryForTheRetentionOnly() {
        Duration retention = Duration.ofHours(2);
        PeerStore swept = open(config().withDownloadsRetention(retention));
        PeerStore lazy = open(config().withDownloadsRetention(retention));
        byte[] t = infoHash(25);
        byte[] none = infoHash(26);
        for (PeerStore s : List.of(swept, lazy)) {
            announce(s, TestPeer.v4(1, 6881).to(t).build());
            announce(s, TestPeer.v4(1, 6881).to(t).seeder().event(AnnounceEvent.COMPLETED).build());
            announce(s, TestPeer.v4(1, 6881).to(none).seeder().build());
        }

        clock.advance(TTL.plusSeconds(1));
        swept.expire();
        for (PeerStore s : List.of(swept, lazy)) {
            assertThat(await(s.scrape(List.of(t, none)))).containsExactly(new SwarmCounts(0, 0, 1), SwarmCounts.EMPTY);
            assertThat(stats(s)).isEqualTo(StoreStats.EMPTY);
            assertThat(fullScrape(s)).isEmpty();
        }

        clock.advance(retention.minusSeconds(2));
        swept.expire();
        for (PeerStore s : List.of(swept, lazy)) {
            assertThat(await(s.scrape(List.of(t)))).as("within the retention").containsExactly(new SwarmCounts(0, 0, 1));
        }
        clock.advance(Duration.ofSeconds(3));
        swept.expire();
        for (PeerStore s : List.of(swept, lazy)) {
            assertThat(await(s.scrape(List.of(t)))).as("after the retention").containsExactly(SwarmCounts.EMPTY);
        }
    }

    @Test
    void zeroRetentionKeepsNoDownloadCount() {
        PeerStore s = open(config().withDownloadsRetention(Duration.ZERO));
        byte[] t = infoHash(28);
        TestPeer a = TestPeer.v4(1, 6881);
        announce(s, a.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
        announce(s, a.to(t).event(AnnounceEvent.STOPPED).build());
        assertThat(await(s.scrape(List.of(t)))).containsExactly(SwarmCounts.EMPTY);
    }

    @Test
    void peerlessTorrentsGiveWayToNewTorrentsAtTheLimit() {
        PeerStore small = open(config().withLimits(3, 1_000));
        TestPeer a = TestPeer.v4(1, 6881);
        byte[] kept1 = infoHash(90);
        byte[] kept2 = infoHash(91);
        byte[] live = infoHash(92);
        for (byte[] t : List.of(kept1, kept2)) {
            announce(small, a.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
            announce(small, a.to(t).event(AnnounceEvent.STOPPED).build());
        }
        announce(small, a.to(live).build());
        assertThat(await(small.scrape(List.of(kept1, kept2))))
                .containsExactly(new SwarmCounts(0, 0, 1), new SwarmCounts(0, 0, 1));

        assertThat(counts(announce(small, a.to(infoHash(93)).build()))).as("room made by a peerless torrent")
                .isEqualTo(new SwarmCounts(0, 1, 0));
        assertThat(counts(announce(small, a.to(infoHash(94)).build()))).as("and by the other one")
                .isEqualTo(new SwarmCounts(0, 1, 0));
        assertThat(await(small.scrape(List.of(kept1, kept2)))).containsOnly(SwarmCounts.EMPTY);
        assertThat(stats(small)).isEqualTo(new StoreStats(3, 3, 0, 3));

        PeerStoreException refused = refusal(small, a.to(infoHash(95)).build());
        assertThat(refused.kind()).as("every place held by a torrent with peers").isEqualTo(PeerStoreException.Kind.FULL);
        assertThat(counts(announce(small, a.to(live).event(AnnounceEvent.STOPPED).build()))).isEqualTo(SwarmCounts.EMPTY);
        assertThat(counts(announce(small, a.to(infoHash(95)).build()))).isEqualTo(new SwarmCounts(0, 1, 0));
    }

    @Test
    void aRefusedNewPeerEvictsNoPeerlessTorrent() {
        PeerStore small = open(config().withLimits(2, 1));
        TestPeer a = TestPeer.v4(1, 6881);
        byte[] kept = infoHash(96);
        announce(small, a.to(kept).seeder().event(AnnounceEvent.COMPLETED).build());
        announce(small, a.to(kept).event(AnnounceEvent.STOPPED).build());
        announce(small, a.to(infoHash(97)).build());

        assertThat(refusal(small, TestPeer.v4(2, 6881).to(infoHash(98)).build()).kind())
                .isEqualTo(PeerStoreException.Kind.FULL);
        assertThat(await(small.scrape(List.of(kept)))).containsExactly(new SwarmCounts(0, 0, 1));
        assertThat(refusal(small, TestPeer.v4(2, 6881).to(kept).build()).kind()).as("a new peer of a peerless torrent")
                .isEqualTo(PeerStoreException.Kind.FULL);
        assertThat(await(small.scrape(List.of(kept)))).containsExactly(new SwarmCounts(0, 0, 1));
    }

    // ---- scrape and totals

    @Test
    void scrapeAnswersInOrderAndUnknownHashesAreEmpty() {
        byte[] t1 = infoHash(30);
        byte[] t2 = infoHash(31);
        TestPeer finisher = TestPeer.v4(1, 6881);
        announce(finisher.to(t1).build());
        announce(finisher.to(t1).seeder().event(AnnounceEvent.COMPLETED).build());
        announce(TestPeer.v4(2, 6881).to(t1).seeder().build());
        announce(TestPeer.v6(3, 6881).to(t1).build());
        announce(TestPeer.v4(4, 6881).to(t2).build());

        List<SwarmCounts> counts = await(store.scrape(List.of(t2, infoHash(32), t1, t2)));
        assertThat(counts).containsExactly(
                new SwarmCounts(0, 1, 0), SwarmCounts.EMPTY, new SwarmCounts(2, 1, 1), new SwarmCounts(0, 1, 0));
        assertThat(await(store.scrape(List.of()))).isEmpty();
    }

    @Test
    void fullScrapeVisitsExactlyTheTorrentsWithPeers() {
        Map<String, SwarmCounts> expected = new HashMap<>();
        for (int n = 0; n < 5; n++) {
            byte[] t = infoHash(40 + n);
            for (int i = 0; i <= n; i++) {
                announce(TestPeer.v4(i, 6881).to(t).seeder(i % 2 == 1).build());
            }
            expected.put(hex(t), new SwarmCounts((n + 1) / 2, n / 2 + 1, 0));
        }
        TestPeer finisher = TestPeer.v6(1, 6881);
        announce(finisher.to(infoHash(44)).build());
        announce(finisher.to(infoHash(44)).seeder().event(AnnounceEvent.COMPLETED).build());
        expected.put(hex(infoHash(44)), new SwarmCounts(3, 3, 1));
        announce(TestPeer.v4(0, 6881).to(infoHash(40)).event(AnnounceEvent.STOPPED).build());
        expected.remove(hex(infoHash(40)));

        assertThat(fullScrape(store)).isEqualTo(expected);
    }

    @Test
    void statsAddUpWhatWasAnnounced() {
        assertThat(stats(store)).isEqualTo(StoreStats.EMPTY);
        for (int i = 0; i < 4; i++) {
            announce(TestPeer.v4(i, 6881).to(infoHash(50)).seeder(i == 0).build());
        }
        announce(TestPeer.v6(1, 6881).to(infoHash(51)).seeder().build());
        announce(TestPeer.v4(1, 6881).to(infoHash(51)).build());
        announce(TestPeer.v4(1, 6881).to(infoHash(52)).seeder().build());
        assertThat(stats(store)).isEqualTo(new StoreStats(3, 7, 3, 4));
    }

    // ---- limits

    @Test
    void torrentLimitRefusesANewTorrentAndChangesNothing() {
        PeerStore small = open(config().withLimits(2, 1_000));
        TestPeer a = TestPeer.v4(1, 6881);
        announce(small, a.to(infoHash(60)).build());
        announce(small, a.to(infoHash(61)).build());
        StoreStats before = stats(small);

        PeerStoreException refused = refusal(small, a.to(infoHash(62)).build());
        assertThat(refused.kind()).isEqualTo(PeerStoreException.Kind.FULL);
        assertThat(refused.getMessage()).isNotBlank();
        assertThat(stats(small)).isEqualTo(before);
        assertThat(await(small.scrape(List.of(infoHash(62))))).containsExactly(SwarmCounts.EMPTY);

        assertThat(counts(announce(small, TestPeer.v4(2, 6881).to(infoHash(60)).build())))
                .as("a known torrent still takes new peers").isEqualTo(new SwarmCounts(0, 2, 0));
        announce(small, a.to(infoHash(61)).event(AnnounceEvent.STOPPED).build());
        assertThat(counts(announce(small, a.to(infoHash(62)).build())))
                .as("room made by the last peer leaving").isEqualTo(new SwarmCounts(0, 1, 0));
    }

    @Test
    void peerLimitRefusesANewPeerButNotAReannounce() {
        PeerStore small = open(config().withLimits(100, 3));
        TestPeer p1 = TestPeer.v4(1, 6881);
        TestPeer p2 = TestPeer.v4(2, 6881);
        TestPeer p3 = TestPeer.v6(3, 6881);
        TestPeer p4 = TestPeer.v4(4, 6881);
        announce(small, p1.to(infoHash(70)).build());
        announce(small, p2.to(infoHash(70)).build());
        announce(small, p3.to(infoHash(71)).build());

        assertThat(refusal(small, p4.to(infoHash(70)).build()).kind()).isEqualTo(PeerStoreException.Kind.FULL);
        assertThat(refusal(small, p4.to(infoHash(72)).build()).kind()).isEqualTo(PeerStoreException.Kind.FULL);
        assertThat(stats(small)).isEqualTo(new StoreStats(2, 3, 0, 3));

        AnnounceResult reannounce = announce(small, p1.to(infoHash(70)).seeder().event(AnnounceEvent.COMPLETED).build());
        assertThat(counts(reannounce)).isEqualTo(new SwarmCounts(1, 1, 1));
        assertThat(CompactPeers.v4(reannounce)).containsExactly(p2.endpoint());
        assertThat(CompactPeers.v4(announce(small, p4.withPort(0).to(infoHash(70)).build())))
                .as("an unkept announcer is never refused").hasSize(2);

        announce(small, p2.to(infoHash(70)).event(AnnounceEvent.STOPPED).build());
        assertThat(counts(announce(small, p4.to(infoHash(70)).build()))).isEqualTo(new SwarmCounts(1, 1, 1));
        assertThat(stats(small)).isEqualTo(new StoreStats(2, 3, 1, 2));
    }

    // ---- concurrency

    @Test
    void concurrentAnnouncesToOverlappingSwarmsKeepCountsConsistent() throws Exception {
        int threads = 4;
        int opsPerThread = 1_500;
        int torrents = 6;
        int peersPerThread = 24;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Map<String, Boolean>>> results = new ArrayList<>();
        try {
            for (int th = 0; th < threads; th++) {
                int thread = th;
                results.add(pool.submit(() -> announceAtRandom(thread, opsPerThread, torrents, peersPerThread)));
            }
            Map<String, Boolean> present = new HashMap<>();
            for (Future<Map<String, Boolean>> f : results) {
                present.putAll(f.get(120, SECONDS));
            }

            List<byte[]> hashes = new ArrayList<>();
            Map<String, int[]> expected = new HashMap<>();
            for (int n = 0; n < torrents; n++) {
                hashes.add(infoHash(80 + n));
            }
            present.forEach((key, seeder) -> {
                int[] c = expected.computeIfAbsent(key.substring(0, key.indexOf('/')), k -> new int[2]);
                c[seeder ? 0 : 1]++;
            });
            List<SwarmCounts> scraped = await(store.scrape(hashes));
            long seeders = 0;
            long leechers = 0;
            int withPeers = 0;
            for (int n = 0; n < torrents; n++) {
                int[] c = expected.getOrDefault(hex(hashes.get(n)), new int[2]);
                assertThat(scraped.get(n).seeders()).as("seeders of torrent %d", n).isEqualTo(c[0]);
                assertThat(scraped.get(n).leechers()).as("leechers of torrent %d", n).isEqualTo(c[1]);
                seeders += c[0];
                leechers += c[1];
                withPeers += c[0] + c[1] > 0 ? 1 : 0;
            }
            assertThat(stats(store)).isEqualTo(new StoreStats(withPeers, seeders + leechers, seeders, leechers));
            assertThat(fullScrape(store)).hasSize(withPeers);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Announces at random from peers only this thread uses; returns which (torrent, peer) remain and as what. */
    private Map<String, Boolean> announceAtRandom(int thread, int ops, int torrents, int peers) {
        Random random = new Random(7919L * thread + 17);
        Map<String, Boolean> present = new HashMap<>();
        for (int op = 0; op < ops; op++) {
            byte[] t = infoHash(80 + random.nextInt(torrents));
            int n = random.nextInt(peers);
            TestPeer peer = thread % 2 == 0 ? TestPeer.v4(thread * 1_000 + n, 7000 + thread)
                    : TestPeer.v6(thread * 1_000 + n, 7000 + thread);
            String key = hex(t) + "/" + peer.endpoint();
            double roll = random.nextDouble();
            AnnounceResult r;
            if (roll < 0.15) {
                r = announce(peer.to(t).event(AnnounceEvent.STOPPED).build());
                present.remove(key);
            } else if (roll < 0.25) {
                r = announce(peer.to(t).seeder().event(AnnounceEvent.COMPLETED).build());
                present.put(key, true);
            } else {
                boolean seeder = random.nextInt(4) == 0;
                r = announce(peer.to(t).seeder(seeder).numwant(random.nextInt(10)).families(PeerFamilies.BOTH).build());
                present.put(key, seeder);
                assertThat(r.seeders() + r.leechers()).isPositive();
                assertThat(CompactPeers.all(r)).doesNotContain(peer.endpoint());
            }
            assertThat(r.seeders()).isNotNegative();
            assertThat(r.leechers()).isNotNegative();
        }
        return present;
    }

    // ---- helpers

    protected AnnounceResult announce(PeerAnnounce announce) {
        return announce(store, announce);
    }

    protected static AnnounceResult announce(PeerStore s, PeerAnnounce announce) {
        return await(s.announce(announce));
    }

    protected SwarmCounts scrape(byte[] infoHash) {
        List<SwarmCounts> counts = await(store.scrape(List.of(infoHash)));
        assertThat(counts).hasSize(1);
        return counts.get(0);
    }

    protected StoreStats stats(PeerStore s) {
        refreshStats(s);
        return s.stats();
    }

    /** Runs a full scrape and collects what it visited, by hex info hash; fails on a torrent visited twice. */
    protected static Map<String, SwarmCounts> fullScrape(PeerStore s) {
        Map<String, SwarmCounts> seen = new LinkedHashMap<>();
        await(s.fullScrape((hash, counts) -> {
            SwarmCounts before = seen.put(hex(hash), counts);
            assertThat(before).as("torrent visited twice").isNull();
        }));
        return seen;
    }

    /** Announces expecting a refusal; the store must fail the stage, not throw. */
    protected static PeerStoreException refusal(PeerStore s, PeerAnnounce announce) {
        CompletionStage<AnnounceResult> stage = s.announce(announce);
        try {
            AnnounceResult r = stage.toCompletableFuture().get(5, SECONDS);
            throw new AssertionError("expected a refusal, got " + r);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PeerStoreException.class);
            return (PeerStoreException) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("store did not answer", e);
        }
    }

    protected static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("store failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("store did not answer", e);
        }
    }

    protected static SwarmCounts counts(AnnounceResult r) {
        return new SwarmCounts(r.seeders(), r.leechers(), r.downloaded());
    }

    protected static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static Map<TestPeer.Endpoint, byte[]> idsByEndpoint4(AnnounceResult r) {
        List<TestPeer.Endpoint> peers = CompactPeers.v4(r);
        List<byte[]> ids = CompactPeers.ids(r.peerIds4());
        assertThat(ids).hasSameSizeAs(peers);
        Map<TestPeer.Endpoint, byte[]> out = new HashMap<>();
        for (int i = 0; i < peers.size(); i++) {
            out.put(peers.get(i), ids.get(i));
        }
        return out;
    }
}
