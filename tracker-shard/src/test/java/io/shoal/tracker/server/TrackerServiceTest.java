package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.id20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.peers.PeerStoreException;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.peers.memory.MemoryPeerStore;
import io.shoal.tracker.protocol.AnnounceEvent;
import io.shoal.tracker.protocol.AnnounceRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Policy over a real memory store. */
class TrackerServiceTest {
    private static final byte[] V4 = {10, 0, 0, 1};

    private final ShardConfig config = ShardConfig.builder()
            .numwantDefault(3).numwantMax(5).maxTorrents(2).build();
    private final MemoryPeerStore store = new MemoryPeerStore(config.peerStoreConfig());
    private AccessList access = AccessList.OPEN;
    private final TrackerService service = new TrackerService(store, () -> access, config);

    @AfterEach
    void close() {
        store.close();
    }

    private static AnnounceRequest request(byte[] hash, int port, long left, int numwant) {
        return new AnnounceRequest(hash, id20(port), port, 0, 0, left, AnnounceEvent.STARTED, numwant, true, false, -1);
    }

    private AnnounceResult announce(byte[] hash, int port, long left, int numwant) {
        return service.announce(request(hash, port, left, numwant), V4, PeerFamilies.V4).toCompletableFuture().join();
    }

    @Test
    void numwantDefaultsAndIsCapped() {
        assertThat(service.numwant(-1)).isEqualTo(3);
        assertThat(service.numwant(0)).isZero();
        assertThat(service.numwant(4)).isEqualTo(4);
        assertThat(service.numwant(Integer.MAX_VALUE)).isEqualTo(5);

        byte[] hash = id20(1);
        for (int port = 1; port <= 8; port++) {
            announce(hash, port, 0, 0);
        }
        assertThat(announce(hash, 100, 0, -1).peerCount4()).isEqualTo(3);
        assertThat(announce(hash, 100, 0, 1000).peerCount4()).isEqualTo(5);
    }

    @Test
    void leftZeroIsASeeder() {
        byte[] hash = id20(2);
        AnnounceResult r = announce(hash, 1, 0, 0);
        assertThat(r.seeders()).isEqualTo(1);
        r = announce(hash, 2, 7, 0);
        assertThat(r.leechers()).isEqualTo(1);
    }

    @Test
    void intervalIsRandomisedUpToFivePercent() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int interval = service.interval();
            assertThat(interval).isBetween(1800, 1890);
            seen.add(interval);
        }
        assertThat(seen).as("not one fixed value").hasSizeGreaterThan(1);
        assertThat(service.minInterval()).isEqualTo(900);
    }

    @Test
    void accessListRefusesAnnouncesAndBlanksScrapes() {
        byte[] denied = id20(3);
        byte[] open = id20(4);
        announce(denied, 1, 0, 0);
        announce(open, 1, 0, 0);
        access = AccessList.of(AccessMode.DENY, List.of(denied));
        assertThatThrownBy(() -> announce(denied, 2, 0, 0))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(RequestRefusedException.class).hasMessage(TrackerService.NOT_ALLOWED);
        List<SwarmCounts> counts = service.scrape(List.of(denied, open, denied)).toCompletableFuture().join();
        assertThat(counts).containsExactly(SwarmCounts.EMPTY, new SwarmCounts(1, 0, 0), SwarmCounts.EMPTY);
    }

    @Test
    void storeFailuresKeepTheirClientMessage() {
        announce(id20(5), 1, 0, 0);
        announce(id20(6), 1, 0, 0);
        Throwable t = service.announce(request(id20(7), 1, 0, 0), V4, PeerFamilies.V4)
                .toCompletableFuture().handle((r, e) -> e).join();
        assertThat(Failure.unwrap(t)).isInstanceOf(PeerStoreException.class);
        Failure f = Failure.of(t);
        assertThat(f.result()).as("a limit reached is a refusal").isEqualTo(TrackerMetrics.Result.REFUSED);
        assertThat(f.clientMessage()).isEqualTo(Failure.unwrap(t).getMessage()).isNotEqualTo(Failure.INTERNAL_ERROR);
        Failure down = Failure.of(new PeerStoreException(PeerStoreException.Kind.UNAVAILABLE, "store unavailable"));
        assertThat(down.result()).as("an outage is an error").isEqualTo(TrackerMetrics.Result.ERROR);
        assertThat(down.clientMessage()).isEqualTo("store unavailable");
        assertThat(Failure.of(new IllegalStateException("secret detail")).clientMessage())
                .isEqualTo(Failure.INTERNAL_ERROR);
    }

    @Test
    void udpRepliesUseTheAnnouncersFamily() {
        assertThat(TrackerService.udpFamilies(V4)).isEqualTo(PeerFamilies.V4);
        assertThat(TrackerService.udpFamilies(new byte[16])).isEqualTo(PeerFamilies.V6);
    }

    @Test
    void configRejectsContradictions() {
        assertThatThrownBy(() -> ShardConfig.builder().numwantDefault(300).build())
                .hasMessageContaining("numwant default");
        assertThatThrownBy(() -> ShardConfig.builder().peerTtl(Duration.ofMinutes(10)).build())
                .hasMessageContaining("peer TTL");
        assertThatThrownBy(() -> ShardConfig.builder().accessList(null, AccessMode.ALLOW).build())
                .hasMessageContaining("allow mode");
        assertThatThrownBy(() -> ShardConfig.builder().port(70000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> ShardConfig.builder().numwantMax(2001).build()).hasMessageContaining("numwant max");
        assertThatThrownBy(() -> ShardConfig.builder().numwantDefault(0).numwantMax(0).build())
                .hasMessageContaining("numwant max");
        assertThat(ShardConfig.builder().numwantMax(2000).build().numwantMax()).isEqualTo(2000);
        assertThat(ShardConfig.builder().peerTtl(Duration.ofHours(3)).interval(Duration.ofHours(2))
                .build().expirePeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ShardConfig.builder().peerTtl(Duration.ofSeconds(100)).interval(Duration.ofSeconds(50))
                .minInterval(Duration.ofSeconds(10)).build().expirePeriod()).isEqualTo(Duration.ofSeconds(10));
    }
}
