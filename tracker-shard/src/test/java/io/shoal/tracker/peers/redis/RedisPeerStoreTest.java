package io.shoal.tracker.peers.redis;

import io.shoal.routing.Slots;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.MutableClock;
import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.PeerStoreException;
import io.shoal.tracker.peers.StoreStats;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.protocol.AnnounceEvent;
import io.shoal.tracker.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.shoal.tracker.peers.redis.Announces.compact4;
import static io.shoal.tracker.peers.redis.Announces.entries;
import static io.shoal.tracker.peers.redis.Announces.infoHash;
import static io.shoal.tracker.peers.redis.Announces.leecher;
import static io.shoal.tracker.peers.redis.Announces.seeder;
import static io.shoal.tracker.peers.redis.Announces.v4;
import static io.shoal.tracker.peers.redis.Announces.v6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redis-specific behaviour of the Redis peer store, against a real redis-server. */
class RedisPeerStoreTest {

    private static final Duration TTL = Duration.ofMinutes(45);

    private final RedisServerProcess redis = RedisServerProcess.shared();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<RedisPeerStore> stores = new ArrayList<>();
    private RedisPeerStore store;

    @BeforeEach
    void setUp() {
        redis.flushAll();
        store = open(PeerStoreConfig.defaults().withClock(clock));
    }

    @AfterEach
    void tearDown() {
        stores.forEach(RedisPeerStore::close);
    }

    private RedisPeerStore open(PeerStoreConfig config) {
        RedisPeerStore s = RedisPeerStore.open(redis.uri(), config, RedisStoreOptions.defaults());
        stores.add(s);
        return s;
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private PackedCounters counters(String peerHash) {
        return PackedCounters.decode((byte[]) redis.command("HGET", peerHash, "c"));
    }

    @Test
    void opensReadyAndRejectsNonRedisUris() {
        assertThat(store.isReady()).isTrue();
        assertThatThrownBy(() -> RedisPeerStore.open("http://127.0.0.1:1", PeerStoreConfig.defaults(),
                RedisStoreOptions.defaults())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void announcerGetsOtherPeersButNeverItself() throws Exception {
        byte[] ih = infoHash(1);
        AnnounceResult first = await(store.announce(leecher(ih, 1)));
        assertThat(first.peers4()).isEmpty();
        assertThat(first.leechers()).isEqualTo(1);
        assertThat(first.seeders()).isZero();

        await(store.announce(seeder(ih, 2)));
        AnnounceResult again = await(store.announce(leecher(ih, 1)));
        assertThat(entries(again.peers4(), 6)).containsExactly(ByteBuffer.wrap(compact4(2, 6881)));
        assertThat(again.seeders()).isEqualTo(1);
        assertThat(again.leechers()).isEqualTo(1);
        assertThat(again.peers6()).isEmpty();
        assertThat(again.peerIds4()).isNull();
    }

    @Test
    void numwantBoundsARandomSelection() throws Exception {
        byte[] ih = infoHash(2);
        for (int p = 1; p <= 30; p++) {
            await(store.announce(leecher(ih, p)));
        }
        Set<ByteBuffer> seen = new HashSet<>();
        for (int round = 0; round < 20; round++) {
            AnnounceResult r = await(store.announce(v4(ih, 1, false, AnnounceEvent.NONE, 5)));
            assertThat(r.peerCount4()).isEqualTo(5);
            Set<ByteBuffer> got = entries(r.peers4(), 6);
            assertThat(got).hasSize(5).doesNotContain(ByteBuffer.wrap(compact4(1, 6881)));
            seen.addAll(got);
        }
        // 20 draws of 5 out of 29: a fixed choice would show 5 distinct peers
        assertThat(seen.size()).isGreaterThan(10);
        AnnounceResult none = await(store.announce(v4(ih, 1, false, AnnounceEvent.NONE, 0)));
        assertThat(none.peers4()).isEmpty();
        assertThat(none.leechers()).isEqualTo(30);
    }

    @Test
    void stoppedRemovesThePeerAndReturnsNoPeers() throws Exception {
        byte[] ih = infoHash(3);
        await(store.announce(leecher(ih, 1)));
        await(store.announce(seeder(ih, 2)));
        AnnounceResult stopped = await(store.announce(v4(ih, 1, false, AnnounceEvent.STOPPED, 50)));
        assertThat(stopped.peers4()).isEmpty();
        assertThat(stopped.leechers()).isZero();
        assertThat(stopped.seeders()).isEqualTo(1);
        AnnounceResult other = await(store.announce(seeder(ih, 2)));
        assertThat(other.peers4()).isEmpty();
        // the stopped peer's id went with it
        String hash = RedisKeys.torrentKeyNames(ih).get(2);
        assertThat((Long) redis.command("HEXISTS", hash, compact4(1, 6881))).isZero();
        assertThat((Long) redis.command("HEXISTS", hash, compact4(2, 6881))).isEqualTo(1);
    }

    @Test
    void completedCountsOncePerTransitionToSeeder() throws Exception {
        byte[] ih = infoHash(4);
        await(store.announce(leecher(ih, 1)));
        AnnounceResult done = await(store.announce(v4(ih, 1, true, AnnounceEvent.COMPLETED, 50)));
        assertThat(done.downloaded()).isEqualTo(1);
        assertThat(done.seeders()).isEqualTo(1);
        assertThat(done.leechers()).isZero();
        AnnounceResult repeated = await(store.announce(v4(ih, 1, true, AnnounceEvent.COMPLETED, 50)));
        assertThat(repeated.downloaded()).isEqualTo(1);
        AnnounceResult otherPeer = await(store.announce(v4(ih, 2, true, AnnounceEvent.COMPLETED, 50)));
        assertThat(otherPeer.downloaded()).isEqualTo(2);
        assertThat(await(store.scrape(List.of(ih)))).containsExactly(new SwarmCounts(2, 0, 2));
    }

    @Test
    void peersExpireAfterTheirTtlOnTheStoreClock() throws Exception {
        byte[] ih = infoHash(5);
        await(store.announce(leecher(ih, 1)));
        clock.advance(TTL.minusMinutes(10));
        await(store.announce(seeder(ih, 2)));
        clock.advance(Duration.ofMinutes(10));
        // peer 1 announced exactly one TTL ago: gone; peer 2 still there
        AnnounceResult r = await(store.announce(v4(ih, 3, false, AnnounceEvent.NONE, 50)));
        assertThat(entries(r.peers4(), 6)).containsExactly(ByteBuffer.wrap(compact4(2, 6881)));
        assertThat(r.seeders()).isEqualTo(1);
        assertThat(r.leechers()).isEqualTo(1);
        assertThat((Long) redis.command("HEXISTS", RedisKeys.torrentKeyNames(ih).get(2), compact4(1, 6881)))
                .isZero();
        clock.advance(TTL);
        assertThat(await(store.scrape(List.of(ih)))).containsExactly(SwarmCounts.EMPTY);
        assertThat(await(store.refreshStats())).isEqualTo(StoreStats.EMPTY);
    }

    @Test
    void expiryPurgesSwarmsLargerThanOneBatch() throws Exception {
        byte[] ih = infoHash(6);
        List<CompletionStage<AnnounceResult>> all = new ArrayList<>();
        for (int p = 1; p <= 700; p++) {
            all.add(store.announce(v4(ih, p, p % 2 == 0, AnnounceEvent.NONE, 0)));
        }
        for (CompletionStage<AnnounceResult> s : all) {
            await(s);
        }
        clock.advance(TTL.plusSeconds(1));
        AnnounceResult r = await(store.announce(leecher(ih, 9999)));
        assertThat(r.leechers()).isEqualTo(1);
        assertThat(r.seeders()).isZero();
        assertThat(r.peers4()).isEmpty();
        List<String> keys = RedisKeys.torrentKeyNames(ih);
        assertThat((Long) redis.command("ZCARD", keys.get(0))).isEqualTo(1);
        PackedCounters counters = counters(keys.get(2));
        assertThat(List.of(counters.n4(), counters.n6(), counters.seeders())).containsExactly(1, 0, 0);
        for (int p = 1; p <= 700; p++) {
            assertThat((Long) redis.command("HEXISTS", keys.get(2), compact4(p, 6881))).as("peer %d", p).isZero();
        }
    }

    @Test
    void portZeroIsNotStoredButReceivesPeersAndCounts() throws Exception {
        byte[] ih = infoHash(7);
        await(store.announce(seeder(ih, 1)));
        PeerAnnounce portZero = new PeerAnnounce(ih, Announces.ip4(2), 0, Announces.peerId(2), false,
                AnnounceEvent.STARTED, 50, PeerFamilies.V4, false);
        AnnounceResult r = await(store.announce(portZero));
        assertThat(entries(r.peers4(), 6)).containsExactly(ByteBuffer.wrap(compact4(1, 6881)));
        assertThat(r.seeders()).isEqualTo(1);
        assertThat(r.leechers()).isZero();
        assertThat(await(store.scrape(List.of(ih)))).containsExactly(new SwarmCounts(1, 0, 0));
    }

    @Test
    void familiesAreKeptApartAndHttpGetsBoth() throws Exception {
        byte[] ih = infoHash(8);
        await(store.announce(leecher(ih, 1)));
        await(store.announce(v6(ih, 2, true, AnnounceEvent.STARTED, 50)));
        AnnounceResult udp4 = await(store.announce(leecher(ih, 3)));
        assertThat(entries(udp4.peers4(), 6)).containsExactly(ByteBuffer.wrap(compact4(1, 6881)));
        assertThat(udp4.peers6()).isEmpty();
        assertThat(udp4.seeders()).isEqualTo(1);
        assertThat(udp4.leechers()).isEqualTo(2);

        AnnounceResult udp6 = await(store.announce(v6(ih, 4, false, AnnounceEvent.STARTED, 50)));
        assertThat(entries(udp6.peers6(), 18)).containsExactly(
                ByteBuffer.wrap(Announcer.compact(Announces.ip6(2), 6881)));
        assertThat(udp6.peers4()).isEmpty();

        PeerAnnounce http = new PeerAnnounce(ih, Announces.ip4(5), 7000, Announces.peerId(5), false,
                AnnounceEvent.STARTED, 50, PeerFamilies.BOTH, true);
        AnnounceResult both = await(store.announce(http));
        assertThat(both.peerCount4()).isEqualTo(2);
        assertThat(both.peerCount6()).isEqualTo(2);
        assertThat(both.seeders() + both.leechers()).isEqualTo(5);
        // ids come in the same order as the peers
        Map<ByteBuffer, Integer> idOf = new HashMap<>();
        for (int p = 1; p <= 4; p++) {
            idOf.put(ByteBuffer.wrap(Announces.peerId(p)), p);
        }
        for (int i = 0; i < both.peerCount4(); i++) {
            int peer = idOf.get(ByteBuffer.wrap(both.peerIds4(), 20 * i, 20));
            assertThat(ByteBuffer.wrap(both.peers4(), 6 * i, 6)).isEqualTo(ByteBuffer.wrap(compact4(peer, 6881)));
        }
        for (int i = 0; i < both.peerCount6(); i++) {
            int peer = idOf.get(ByteBuffer.wrap(both.peerIds6(), 20 * i, 20));
            assertThat(ByteBuffer.wrap(both.peers6(), 18 * i, 18))
                    .isEqualTo(ByteBuffer.wrap(Announcer.compact(Announces.ip6(peer), 6881)));
        }
    }

    @Test
    void reannouncingUpdatesSeederFlagAndPeerId() throws Exception {
        byte[] ih = infoHash(9);
        await(store.announce(leecher(ih, 1)));
        byte[] newId = Announces.peerId(77);
        await(store.announce(new PeerAnnounce(ih, Announces.ip4(1), 6881, newId, true, AnnounceEvent.NONE, 50,
                PeerFamilies.V4, false)));
        AnnounceResult r = await(store.announce(new PeerAnnounce(ih, Announces.ip4(2), 6881, Announces.peerId(2),
                false, AnnounceEvent.STARTED, 50, PeerFamilies.V4, true)));
        assertThat(r.seeders()).isEqualTo(1);
        assertThat(r.leechers()).isEqualTo(1);
        assertThat(r.peerIds4()).isEqualTo(newId);
    }

    @Test
    void scrapeAnswersManyHashesInOrderIncludingUnknownOnes() throws Exception {
        List<byte[]> hashes = new ArrayList<>();
        for (int t = 0; t < 600; t++) {
            byte[] ih = infoHash(1000 + t);
            hashes.add(ih);
            if (t % 3 != 0) {
                await(store.announce(v4(ih, t, t % 2 == 0, AnnounceEvent.NONE, 0)));
            }
        }
        List<SwarmCounts> counts = await(store.scrape(hashes));
        assertThat(counts).hasSize(600);
        for (int t = 0; t < 600; t++) {
            SwarmCounts expected = t % 3 == 0 ? SwarmCounts.EMPTY
                    : new SwarmCounts(t % 2 == 0 ? 1 : 0, t % 2 == 0 ? 0 : 1, 0);
            assertThat(counts.get(t)).as("torrent %d", t).isEqualTo(expected);
        }
        assertThat(await(store.scrape(List.of()))).isEmpty();
    }

    @Test
    void fullScrapeAndStatsWalkEveryTorrentWithPeers() throws Exception {
        Map<ByteBuffer, SwarmCounts> expected = new HashMap<>();
        for (int t = 0; t < 300; t++) {
            byte[] ih = infoHash(5000 + t);
            int peers = 1 + t % 4;
            for (int p = 0; p < peers; p++) {
                await(store.announce(v4(ih, p, p == 0, AnnounceEvent.NONE, 0)));
            }
            expected.put(ByteBuffer.wrap(ih), new SwarmCounts(1, peers - 1, 0));
        }
        // a torrent whose only peer left is not visited
        byte[] gone = infoHash(9999);
        await(store.announce(leecher(gone, 1)));
        await(store.announce(v4(gone, 1, false, AnnounceEvent.STOPPED, 0)));

        Map<ByteBuffer, SwarmCounts> visited = new HashMap<>();
        Thread[] visitor = new Thread[1];
        await(store.fullScrape((ih, counts) -> {
            assertThat(visited.put(ByteBuffer.wrap(ih.clone()), counts)).isNull();
            visitor[0] = Thread.currentThread();
        }));
        assertThat(visited).isEqualTo(expected);

        StoreStats stats = await(store.refreshStats());
        assertThat(stats).isEqualTo(new StoreStats(300, 750, 300, 450));
        assertThat(store.stats()).isEqualTo(stats);
    }

    @Test
    void keysCarryTheSlotAndExpireOnTheirOwn() throws Exception {
        byte[] ih = infoHash(11);
        await(store.announce(leecher(ih, 1)));
        await(store.announce(v6(ih, 2, false, AnnounceEvent.NONE, 50)));
        String hex = Slots.hex(Slots.of(ih));
        List<String> keys = RedisKeys.torrentKeyNames(ih);
        assertThat(keys).allSatisfy(k -> assertThat(k).startsWith("sh:{" + hex + "}:"));
        long margin = RedisStoreOptions.defaults().keyTtlMargin().toMillis();
        for (String k : keys.subList(0, 3)) {
            long pttl = (Long) redis.command("PTTL", k);
            assertThat(pttl).as(k).isBetween(TTL.toMillis() + margin - 60_000, TTL.toMillis() + margin);
        }
        assertThat((Long) redis.command("EXISTS", keys.get(3))).as("no download count, no download key").isZero();
        assertThat((Long) redis.command("SISMEMBER", RedisKeys.indexKeyName(Slots.of(ih)), ih)).isEqualTo(1);

        // the download count outlives the peer keys by the retention, so an idle torrent's count survives them
        await(store.announce(v4(ih, 1, true, AnnounceEvent.COMPLETED, 0)));
        long retention = PeerStoreConfig.DEFAULT_DOWNLOADS_RETENTION.toMillis();
        assertThat((Long) redis.command("PTTL", keys.get(3)))
                .isBetween(TTL.toMillis() + margin + retention - 60_000, TTL.toMillis() + margin + retention);
    }

    @Test
    void keysOfSlotListsTheSlotThroughItsIndexAndWalksTidyIt() throws Exception {
        byte[] a = infoHash(12);
        byte[] b = a.clone();
        b[19] ^= 0x55; // same slot (first two bytes), another torrent
        byte[] elsewhere = a.clone();
        elsewhere[1] ^= 0x01;
        await(store.announce(leecher(a, 1)));
        await(store.announce(v6(a, 2, false, AnnounceEvent.NONE, 50)));
        await(store.announce(seeder(b, 3)));
        await(store.announce(seeder(elsewhere, 4)));
        int slot = Slots.of(a);

        List<String> keys = store.keysOfSlot(slot);
        List<String> expected = new ArrayList<>();
        expected.add(RedisKeys.indexKeyName(slot));
        expected.addAll(RedisKeys.torrentKeyNames(a).subList(0, 3));
        expected.add(RedisKeys.torrentKeyNames(b).get(0));
        expected.add(RedisKeys.torrentKeyNames(b).get(2));
        assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(keys.get(0)).isEqualTo(RedisKeys.indexKeyName(slot));
        assertThat(store.keysOfSlot((slot + 7) % Slots.COUNT)).isEmpty();

        // b's keys expire by themselves (as an idle torrent's would): the next walk drops it from the index
        for (String k : RedisKeys.torrentKeyNames(b)) {
            redis.command("DEL", k);
        }
        assertThat(await(store.refreshStats()).torrents()).isEqualTo(2);
        assertThat((Long) redis.command("SISMEMBER", RedisKeys.indexKeyName(slot), b)).isZero();
        assertThat((Long) redis.command("SISMEMBER", RedisKeys.indexKeyName(slot), a)).isEqualTo(1);
        assertThat(store.keysOfSlot(slot)).doesNotContainAnyElementsOf(RedisKeys.torrentKeyNames(b));
    }

    @Test
    void walkKeepsDownloadCountsOfPeerlessTorrentsWhileTheirKeyLives() throws Exception {
        byte[] ih = infoHash(13);
        await(store.announce(leecher(ih, 1)));
        await(store.announce(v4(ih, 1, true, AnnounceEvent.COMPLETED, 0)));
        await(store.announce(v4(ih, 1, true, AnnounceEvent.STOPPED, 0)));
        assertThat(await(store.refreshStats())).isEqualTo(StoreStats.EMPTY);
        assertThat(await(store.scrape(List.of(ih)))).containsExactly(new SwarmCounts(0, 0, 1));
        AnnounceResult back = await(store.announce(leecher(ih, 2)));
        assertThat(back.downloaded()).isEqualTo(1);
    }

    @Test
    void aKeptTorrentKeepsOnlyItsDownloadKeyForTheRetention() throws Exception {
        byte[] ih = infoHash(15);
        int slot = Slots.of(ih);
        List<String> keys = RedisKeys.torrentKeyNames(ih);
        await(store.announce(leecher(ih, 1)));
        await(store.announce(v4(ih, 1, true, AnnounceEvent.COMPLETED, 0)));
        await(store.announce(v4(ih, 1, true, AnnounceEvent.STOPPED, 0)));

        for (String k : keys.subList(0, 3)) {
            assertThat((Long) redis.command("EXISTS", k)).as(k).isZero();
        }
        long retention = PeerStoreConfig.DEFAULT_DOWNLOADS_RETENTION.toMillis();
        assertThat(redis.commandText("HMGET", keys.get(3), "d", "u"))
                .isEqualTo(List.of("1", Long.toString(clock.millis() + retention)));
        assertThat((Long) redis.command("PTTL", keys.get(3))).isBetween(retention - 60_000, retention);
        assertThat((Long) redis.command("SISMEMBER", RedisKeys.keptKeyName(slot), ih)).isEqualTo(1);
        assertThat((Long) redis.command("SISMEMBER", RedisKeys.indexKeyName(slot), ih)).isEqualTo(1);
        assertThat(store.keysOfSlot(slot)).containsExactlyInAnyOrder(
                RedisKeys.indexKeyName(slot), RedisKeys.keptKeyName(slot), keys.get(3));

        clock.advance(PeerStoreConfig.DEFAULT_DOWNLOADS_RETENTION);
        assertThat(await(store.refreshStats())).isEqualTo(StoreStats.EMPTY);
        assertThat(store.keysOfSlot(slot)).as("the walk forgot it when its retention ended").isEmpty();
    }

    @Test
    void anIdleTorrentWhosePeerKeysExpiredUnnoticedKeepsItsCount() throws Exception {
        byte[] ih = infoHash(16);
        List<String> keys = RedisKeys.torrentKeyNames(ih);
        await(store.announce(v4(ih, 1, true, AnnounceEvent.COMPLETED, 0)));
        // as Redis would expire an idle torrent's peer keys; its download key lives the retention longer
        redis.command("DEL", keys.get(0), keys.get(2));

        assertThat(await(store.refreshStats())).isEqualTo(StoreStats.EMPTY);
        assertThat(await(store.scrape(List.of(ih)))).containsExactly(new SwarmCounts(0, 0, 1));
        long retention = PeerStoreConfig.DEFAULT_DOWNLOADS_RETENTION.toMillis();
        assertThat(redis.commandText("HGET", keys.get(3), "u")).as("the retention starts when the walk noticed")
                .isEqualTo(Long.toString(clock.millis() + retention));
        AnnounceResult back = await(store.announce(v4(ih, 2, true, AnnounceEvent.COMPLETED, 0)));
        assertThat(back.downloaded()).isEqualTo(2);
        assertThat((Long) redis.command("HEXISTS", keys.get(3), "u")).as("active again").isZero();
        assertThat((Long) redis.command("SISMEMBER", RedisKeys.keptKeyName(Slots.of(ih)), ih)).isZero();
    }

    @Test
    void aLostPeerHashTakesItsDownloadCountBackFromTheDownloadKey() throws Exception {
        byte[] ih = infoHash(17);
        await(store.announce(leecher(ih, 1)));
        await(store.announce(v4(ih, 2, true, AnnounceEvent.COMPLETED, 0)));
        redis.command("DEL", RedisKeys.torrentKeyNames(ih).get(2));
        AnnounceResult r = await(store.announce(leecher(ih, 3)));
        assertThat(r.downloaded()).isEqualTo(1);
        assertThat(r.seeders() + r.leechers()).isEqualTo(3);
        // seeder flags went with the hash (they come back on re-announce); the count did not
        assertThat(await(store.scrape(List.of(ih)))).containsExactly(new SwarmCounts(0, 3, 1));
    }

    @Test
    void scriptsAreReloadedWhenRedisForgotThem() throws Exception {
        byte[] ih = infoHash(14);
        await(store.announce(leecher(ih, 1)));
        redis.command("SCRIPT", "FLUSH");
        AnnounceResult r = await(store.announce(leecher(ih, 2)));
        assertThat(r.leechers()).isEqualTo(2);
        redis.command("SCRIPT", "FLUSH");
        assertThat(await(store.scrape(List.of(ih)))).containsExactly(new SwarmCounts(0, 2, 0));
        redis.command("SCRIPT", "FLUSH");
        assertThat(await(store.refreshStats()).peers()).isEqualTo(2);
    }

    @Test
    void torrentAndPeerLimitsRefuseWithoutChangingAnything() throws Exception {
        RedisPeerStore small = open(PeerStoreConfig.defaults().withClock(clock).withLimits(2, 3));
        byte[] t1 = infoHash(21);
        byte[] t2 = infoHash(22);
        byte[] t3 = infoHash(23);
        await(small.announce(leecher(t1, 1)));
        await(small.announce(leecher(t2, 2)));
        assertThatThrownBy(() -> await(small.announce(leecher(t3, 3))))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(PeerStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(PeerStoreException.Kind.FULL));
        assertThat(await(small.scrape(List.of(t3)))).containsExactly(SwarmCounts.EMPTY);
        await(small.announce(leecher(t1, 4)));
        assertThatThrownBy(() -> await(small.announce(leecher(t1, 5))))
                .cause().isInstanceOfSatisfying(PeerStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(PeerStoreException.Kind.FULL));
        // known peers still refresh, and a peer leaving makes room
        assertThat(await(small.announce(leecher(t1, 4))).leechers()).isEqualTo(2);
        await(small.announce(v4(t2, 2, false, AnnounceEvent.STOPPED, 0)));
        assertThat(await(small.announce(leecher(t1, 5))).leechers()).isEqualTo(3);
    }

    @Test
    void storesSharingARedisGiveTheSameAnswers() throws Exception {
        RedisPeerStore second = open(PeerStoreConfig.defaults().withClock(clock));
        byte[] ih = infoHash(31);
        await(store.announce(leecher(ih, 1)));
        await(second.announce(seeder(ih, 2)));
        AnnounceResult viaSecond = await(second.announce(leecher(ih, 3)));
        AnnounceResult viaFirst = await(store.announce(leecher(ih, 3)));
        assertThat(viaSecond.seeders()).isEqualTo(viaFirst.seeders()).isEqualTo(1);
        assertThat(viaSecond.leechers()).isEqualTo(viaFirst.leechers()).isEqualTo(2);
        assertThat(entries(viaFirst.peers4(), 6)).isEqualTo(entries(viaSecond.peers4(), 6))
                .containsExactlyInAnyOrder(ByteBuffer.wrap(compact4(1, 6881)), ByteBuffer.wrap(compact4(2, 6881)));
        assertThat(await(store.scrape(List.of(ih)))).isEqualTo(await(second.scrape(List.of(ih))));
        await(second.announce(v4(ih, 3, true, AnnounceEvent.COMPLETED, 0)));
        assertThat(await(store.scrape(List.of(ih)))).containsExactly(new SwarmCounts(2, 1, 1));
        assertThat(await(store.refreshStats())).isEqualTo(await(second.refreshStats()))
                .isEqualTo(new StoreStats(1, 3, 2, 1));
    }

    @Test
    void infoHashesWithAnyBytesMakeValidKeys() throws Exception {
        byte[] ih = new byte[20];
        java.util.Arrays.fill(ih, (byte) 0xFF);
        await(store.announce(leecher(ih, 1)));
        assertThat(RedisKeys.torrentKeyNames(ih).get(0))
                .isEqualTo("sh:{ffff}:" + "ff".repeat(20) + ":4");
        assertThat(store.keysOfSlot(0xFFFF)).contains("sh:{ffff}:torrents");
        assertThat(redis.command("TYPE", "sh:{ffff}:" + "ff".repeat(20) + ":4")).isEqualTo("zset");
    }

    @Test
    void aSwarmWhoseHashWasLostIsCountedFromItsMembers() throws Exception {
        byte[] ih = infoHash(41);
        await(store.announce(leecher(ih, 1)));
        await(store.announce(seeder(ih, 2)));
        await(store.announce(v6(ih, 3, false, AnnounceEvent.STARTED, 50)));
        redis.command("DEL", RedisKeys.torrentKeyNames(ih).get(2));

        // members survive in the sorted sets; ids and seeder flags went with the hash and come back on re-announce
        AnnounceResult r = await(store.announce(seeder(ih, 2)));
        assertThat(r.seeders() + r.leechers()).isEqualTo(3);
        assertThat(r.seeders()).isEqualTo(1);
        AnnounceResult newcomer = await(store.announce(leecher(ih, 4)));
        assertThat(newcomer.seeders()).isEqualTo(1);
        assertThat(newcomer.leechers()).isEqualTo(3);
        assertThat(await(store.scrape(List.of(ih)))).containsExactly(new SwarmCounts(1, 3, 0));
    }

    @Test
    void walksRepairCountersThatDisagreeWithTheMembers() throws Exception {
        byte[] ih = infoHash(42);
        await(store.announce(leecher(ih, 1)));
        await(store.announce(seeder(ih, 2)));
        String hash = RedisKeys.torrentKeyNames(ih).get(2);
        redis.command("HSET", hash, "c", counters(hash).withCounts(7, 0, 5).encode());
        assertThat(await(store.refreshStats())).isEqualTo(new StoreStats(1, 2, 1, 1));
        PackedCounters repaired = counters(hash);
        assertThat(List.of(repaired.n4(), repaired.n6(), repaired.seeders())).containsExactly(2, 0, 1);
    }

    @Test
    void recountSlotCountsEveryTorrentOfTheSlotFromItsMembers() throws Exception {
        byte[] a = infoHash(43);
        byte[] b = a.clone();
        b[19] ^= 0x11;
        await(store.announce(leecher(a, 1)));
        await(store.announce(seeder(b, 2)));
        await(store.announce(seeder(b, 3)));
        // counters a migration would leave behind after merging sorted sets: plausible but wrong
        String hashB = RedisKeys.torrentKeyNames(b).get(2);
        redis.command("HSET", hashB, "c", counters(hashB).withCounts(2, 0, 1).encode());
        store.recountSlot(Slots.of(a)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(await(store.scrape(List.of(a, b)))).containsExactly(
                new SwarmCounts(0, 1, 0), new SwarmCounts(2, 0, 0));
    }

    @Test
    void keyTtlsArePushedForwardOnlyEveryHalfMargin() throws Exception {
        byte[] ih = infoHash(44);
        await(store.announce(leecher(ih, 1)));
        List<String> keys = RedisKeys.torrentKeyNames(ih);
        long full = TTL.toMillis() + RedisStoreOptions.defaults().keyTtlMargin().toMillis();
        redis.command("PEXPIRE", keys.get(0), "600000");
        redis.command("PEXPIRE", keys.get(2), "600000");

        clock.advance(Duration.ofMinutes(1));
        await(store.announce(leecher(ih, 1)));
        assertThat((Long) redis.command("PTTL", keys.get(0))).as("within half the margin: left alone")
                .isLessThanOrEqualTo(600_000);

        clock.advance(RedisStoreOptions.defaults().keyTtlMargin().dividedBy(2));
        await(store.announce(leecher(ih, 1)));
        for (String k : List.of(keys.get(0), keys.get(2))) {
            assertThat((Long) redis.command("PTTL", k)).as(k).isBetween(full - 60_000, full);
        }
        // a key made between refreshes (the first IPv6 peer) gets its TTL at once
        await(store.announce(v6(ih, 2, false, AnnounceEvent.STARTED, 50)));
        assertThat((Long) redis.command("PTTL", keys.get(1))).isBetween(full - 60_000, full);
    }

    @Test
    void hugeNumwantAndMalformedScrapeHashesAreHarmless() throws Exception {
        byte[] ih = infoHash(45);
        for (int p = 1; p <= 3; p++) {
            await(store.announce(leecher(ih, p)));
        }
        AnnounceResult all = await(store.announce(v4(ih, 9, false, AnnounceEvent.NONE, Integer.MAX_VALUE)));
        assertThat(all.peerCount4()).isEqualTo(3);
        PeerAnnounce withIds = new PeerAnnounce(ih, Announces.ip4(9), 6881, Announces.peerId(9), false,
                AnnounceEvent.NONE, Integer.MAX_VALUE, PeerFamilies.BOTH, true);
        assertThat(await(store.announce(withIds)).peerCount4()).isEqualTo(3);
        assertThat(await(store.scrape(java.util.Arrays.asList(new byte[19], ih, null))))
                .containsExactly(SwarmCounts.EMPTY, new SwarmCounts(0, 4, 0), SwarmCounts.EMPTY);
    }

    @Test
    void manyAnnouncesInFlightAreBatchedYetEachIsAnsweredAsIfAlone() throws Exception {
        int torrents = 5;
        int peers = 120;
        // about batching, not timeouts: a slow machine must not shed this burst
        RedisPeerStore store = RedisPeerStore.open(redis.uri(), PeerStoreConfig.defaults().withClock(clock),
                RedisStoreOptions.defaults().withCommandTimeout(Duration.ofSeconds(10)));
        stores.add(store);
        redis.command("CONFIG", "RESETSTAT");
        List<CompletionStage<AnnounceResult>> all = new ArrayList<>();
        for (int p = 0; p < peers; p++) {
            for (int t = 0; t < torrents; t++) {
                // no waiting: hundreds are in flight at once, so they share script calls
                all.add(store.announce(v4(infoHash(60 + t), p, p % 3 == 0, AnnounceEvent.STARTED, 10)));
            }
        }
        for (int k = 0; k < all.size(); k++) {
            AnnounceResult r = await(all.get(k));
            int p = k / torrents;
            // announces in flight together have no order among themselves, but each one's answer is whole:
            // it counts itself, and gets min(numwant, everyone else in the swarm at that moment), never itself
            int swarm = r.seeders() + r.leechers();
            assertThat(swarm).as("announce %d", k).isBetween(1, peers);
            assertThat(r.peerCount4()).as("announce %d", k).isEqualTo(Math.min(10, swarm - 1));
            assertThat(entries(r.peers4(), 6)).doesNotContain(ByteBuffer.wrap(compact4(p, 6881)));
        }
        List<byte[]> hashes = new ArrayList<>();
        for (int t = 0; t < torrents; t++) {
            hashes.add(infoHash(60 + t));
        }
        assertThat(await(store.scrape(hashes))).containsOnly(new SwarmCounts(40, 80, 0));
        String evalsha = redis.info("commandstats", "cmdstat_evalsha");
        long calls = Long.parseLong(evalsha.substring("calls=".length(), evalsha.indexOf(',')));
        assertThat(calls).as("script calls for %d announces", all.size()).isLessThan(all.size() / 2);
    }
}
