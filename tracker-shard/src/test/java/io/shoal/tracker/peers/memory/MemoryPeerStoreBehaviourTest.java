package io.shoal.tracker.peers.memory;

import static io.shoal.tracker.peers.TestPeer.infoHash;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.MutableClock;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.PeerStoreException;
import io.shoal.tracker.peers.StoreStats;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.peers.TestPeer;
import io.shoal.tracker.protocol.AnnounceEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the memory store promises beyond the shared contract. */
class MemoryPeerStoreBehaviourTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final MemoryPeerStore store =
            new MemoryPeerStore(PeerStoreConfig.defaults().withPeerTtl(Duration.ofMinutes(30)).withClock(clock));

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void answersAreCompleteWhenReturned() {
        TestPeer a = TestPeer.v4(1, 6881);
        assertThat(store.announce(a.to(infoHash(1)).build()).toCompletableFuture()).isDone();
        assertThat(store.scrape(List.of(infoHash(1))).toCompletableFuture()).isDone();
        assertThat(store.fullScrape((h, c) -> { }).toCompletableFuture()).isDone();
    }

    @Test
    void bothFamiliesShareNumwantInProportionToWhatEachOffers() {
        byte[] t = infoHash(2);
        for (int i = 0; i < 30; i++) {
            announce(TestPeer.v4(i, 6881).to(t).build());
        }
        for (int i = 0; i < 10; i++) {
            announce(TestPeer.v6(i, 6881).to(t).build());
        }
        AnnounceResult r = announce(TestPeer.v4(100, 6881).to(t).numwant(20).families(PeerFamilies.BOTH).build());
        assertThat(r.peerCount4()).isEqualTo(15);
        assertThat(r.peerCount6()).isEqualTo(5);
    }

    @Test
    void scrapeOfAMalformedHashIsEmpty() throws Exception {
        announce(TestPeer.v4(1, 6881).to(infoHash(3)).build());
        List<SwarmCounts> counts = store.scrape(List.of(new byte[19], infoHash(3))).toCompletableFuture().get(1, SECONDS);
        assertThat(counts).containsExactly(SwarmCounts.EMPTY, new SwarmCounts(0, 1, 0));
    }

    @Test
    void aFailingVisitorFailsTheFullScrapeInsteadOfThrowing() {
        announce(TestPeer.v4(1, 6881).to(infoHash(4)).build());
        CompletableFuture<Void> walk = store.fullScrape((h, c) -> {
            throw new IllegalStateException("visitor broke");
        }).toCompletableFuture();
        assertThatThrownBy(() -> walk.get(1, SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeForgetsEverythingAndStopsServing() {
        announce(TestPeer.v4(1, 6881).to(infoHash(5)).build());
        assertThat(store.isReady()).isTrue();
        store.close();
        assertThat(store.isReady()).isFalse();
        assertThat(store.stats()).isEqualTo(StoreStats.EMPTY);
        assertThatThrownBy(() -> store.announce(TestPeer.v4(1, 6881).to(infoHash(5)).build())
                .toCompletableFuture().get(1, SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PeerStoreException.class)
                .extracting(e -> ((PeerStoreException) e).kind()).isEqualTo(PeerStoreException.Kind.UNAVAILABLE);
    }

    @Test
    void touchingASwarmDropsItsExpiredPeersFromTheTotals() {
        announce(TestPeer.v4(1, 6881).to(infoHash(6)).build());
        announce(TestPeer.v4(2, 6881).to(infoHash(6)).seeder().build());
        clock.advance(Duration.ofMinutes(31));
        assertThat(store.stats()).as("not touched yet").isEqualTo(new StoreStats(1, 2, 1, 1));
        assertThat(store.scrape(List.of(infoHash(6))).toCompletableFuture().join()).containsExactly(SwarmCounts.EMPTY);
        assertThat(store.stats()).isEqualTo(StoreStats.EMPTY);
        assertThat(store.reservedPeers()).isZero();
        assertThat(store.reservedTorrents()).isZero();
    }

    @Test
    void oneStripeServesManyTorrentsAndReservationsMatchTheTotals() throws Exception {
        MemoryPeerStore single = new MemoryPeerStore(PeerStoreConfig.defaults().withClock(clock), 1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int th = 0; th < 3; th++) {
                int thread = th;
                done.add(pool.submit(() -> {
                    Random random = new Random(thread);
                    for (int op = 0; op < 20_000; op++) {
                        TestPeer peer = TestPeer.v4(random.nextInt(50), 6000 + thread);
                        AnnounceEvent event = random.nextInt(5) == 0 ? AnnounceEvent.STOPPED : AnnounceEvent.NONE;
                        single.announce(peer.to(infoHash(random.nextInt(500))).event(event)
                                .seeder(random.nextBoolean()).build()).toCompletableFuture().join();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, SECONDS);
            }
            StoreStats stats = single.stats();
            assertThat(stats.torrents()).isPositive().isEqualTo(single.reservedTorrents());
            assertThat(stats.peers()).isPositive().isEqualTo(single.reservedPeers());
            long[] visited = new long[2];
            single.fullScrape((h, c) -> {
                visited[0]++;
                visited[1] += c.seeders() + c.leechers();
            }).toCompletableFuture().join();
            assertThat(visited).containsExactly(stats.torrents(), stats.peers());

            clock.advance(PeerStoreConfig.DEFAULT_PEER_TTL.plusSeconds(1));
            single.expire();
            assertThat(single.stats()).isEqualTo(StoreStats.EMPTY);
            assertThat(single.reservedPeers()).isZero();
            assertThat(single.reservedTorrents()).isZero();
        } finally {
            pool.shutdownNow();
            single.close();
        }
    }

    private AnnounceResult announce(io.shoal.tracker.peers.PeerAnnounce a) {
        return store.announce(a).toCompletableFuture().join();
    }
}
