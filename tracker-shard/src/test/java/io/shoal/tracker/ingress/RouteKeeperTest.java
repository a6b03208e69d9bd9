package io.shoal.tracker.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.routing.SlotMap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteKeeperTest {
    private final Map<String, List<InetAddress>> dns = new HashMap<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ReplicaHealth health = new ReplicaHealth(clock::get, Duration.ofSeconds(1), Duration.ofSeconds(8));
    private final RouteKeeper keeper = new RouteKeeper(host -> {
        List<InetAddress> a = dns.get(host);
        if (a != null) {
            return a;
        }
        if (host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return List.of(InetAddress.getByName(host));   // literals need no DNS
        }
        throw new UnknownHostException(host);
    }, health);

    @TempDir
    Path dir;

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String doc(long epoch, String... endpoints) {
        return SlotMap.even(endpoints.length, k -> endpoints[k]).toJson().replace("\"epoch\":1", "\"epoch\":" + epoch);
    }

    @Test
    void routesFollowTheSlotMapAndResolveEveryAddressOfAHost() {
        dns.put("shard-a", List.of(ip("10.0.0.2"), ip("10.0.0.1")));
        assertThat(keeper.isReady()).isFalse();
        assertThat(keeper.offer(doc(3, "shard-a:6970", "[::1]:7000"), "test")).isEqualTo(RouteKeeper.Outcome.INSTALLED);
        Routes r = keeper.get();
        assertThat(r.epoch()).isEqualTo(3);
        assertThat(r.shardCount()).isEqualTo(2);
        assertThat(r.shardOfSlot(0)).isZero();
        assertThat(r.shardOfSlot(65535)).isEqualTo(1);
        assertThat(r.replicas(0)).containsExactly(new InetSocketAddress(ip("10.0.0.1"), 6970),
                new InetSocketAddress(ip("10.0.0.2"), 6970));
        assertThat(r.replicas(1)).containsExactly(new InetSocketAddress(ip("::1"), 7000));
        Set<InetSocketAddress> picked = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            picked.add(r.pick(0));
        }
        assertThat(picked).as("spread over both replicas").hasSize(2);
        assertThat(keeper.isReady()).isTrue();
    }

    @Test
    void badStaleAndConflictingDocumentsKeepTheCurrentRoutes() {
        keeper.offer(doc(5, "127.0.0.1:7000"), "test");
        Routes before = keeper.get();
        assertThat(keeper.offer("{not json", "test")).isEqualTo(RouteKeeper.Outcome.REFUSED);
        assertThat(keeper.offer(doc(4, "127.0.0.1:7001"), "test")).as("stale").isEqualTo(RouteKeeper.Outcome.REFUSED);
        assertThat(keeper.offer(doc(5, "127.0.0.1:7001"), "test")).as("same epoch, other map")
                .isEqualTo(RouteKeeper.Outcome.REFUSED);
        assertThat(keeper.offer(SlotMap.even(2).toJson().replace("\"epoch\":1", "\"epoch\":9"), "test"))
                .as("no endpoints").isEqualTo(RouteKeeper.Outcome.REFUSED);
        assertThat(keeper.offer(doc(5, "127.0.0.1:7000"), "test")).isEqualTo(RouteKeeper.Outcome.UNCHANGED);
        assertThat(keeper.get()).isSameAs(before);
        assertThat(keeper.offer(doc(6, "127.0.0.1:7001"), "test")).isEqualTo(RouteKeeper.Outcome.INSTALLED);
        assertThat(keeper.get().replicas(0)).containsExactly(new InetSocketAddress(ip("127.0.0.1"), 7001));
    }

    @Test
    void refreshFollowsDnsAndKeepsTheLastAnswerWhenALookupFails() {
        dns.put("shard-a", List.of(ip("10.0.0.1")));
        keeper.offer(doc(1, "shard-a:6970"), "test");
        Routes first = keeper.get();
        keeper.refresh();
        assertThat(keeper.get()).as("same answer, same routes").isSameAs(first);

        dns.put("shard-a", List.of(ip("10.0.0.1"), ip("10.0.0.3")));
        keeper.refresh();
        assertThat(keeper.get().replicas(0)).hasSize(2);

        dns.remove("shard-a");
        keeper.refresh();
        assertThat(keeper.get().replicas(0)).as("kept through a failed lookup").hasSize(2);
    }

    @Test
    void anUnresolvableShardMakesTheIngressUnready() {
        dns.put("shard-a", List.of(ip("10.0.0.1")));
        keeper.offer(doc(1, "shard-a:6970", "nowhere:6970"), "test");
        assertThat(keeper.isReady()).isFalse();
        assertThat(keeper.get().pick(1)).isNull();
        assertThat(keeper.get().pick(0)).isNotNull();
    }

    @Test
    void aFailingReplicaIsTakenOutAndRetriedAfterABackoff() {
        dns.put("shard-a", List.of(ip("10.0.0.1"), ip("10.0.0.2")));
        keeper.offer(doc(1, "shard-a:6970"), "test");
        Routes r = keeper.get();
        InetSocketAddress bad = new InetSocketAddress(ip("10.0.0.1"), 6970);
        InetSocketAddress good = new InetSocketAddress(ip("10.0.0.2"), 6970);
        r.failed(0, bad);
        r.failed(0, bad);
        assertThat(picks(r)).as("two losses could be chance").contains(bad);
        r.failed(0, bad);
        assertThat(picks(r)).containsOnly(good);

        // Still out after a routes rebuild (health is per address, not per routes object).
        dns.put("shard-a", List.of(ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.9")));
        keeper.refresh();
        assertThat(picks(keeper.get())).doesNotContain(bad);

        clock.addAndGet(Duration.ofMillis(1001).toNanos());
        Routes now = keeper.get();
        assertThat(picks(now)).as("offered again after the back-off").contains(bad);
        now.failed(0, bad);
        assertThat(picks(now)).as("one more failure: out again, for longer").doesNotContain(bad);
        clock.addAndGet(Duration.ofMillis(1001).toNanos());
        assertThat(picks(now)).doesNotContain(bad);
        clock.addAndGet(Duration.ofMillis(1000).toNanos());
        now.answered(0, bad);
        assertThat(picks(now)).contains(bad);
        now.failed(0, bad);
        assertThat(picks(now)).as("an answer forgave the past").contains(bad);
    }

    @Test
    void aShardWithEveryReplicaOutHasNoPick() {
        keeper.offer(doc(1, "127.0.0.1:7000"), "test");
        Routes r = keeper.get();
        InetSocketAddress only = r.replicas(0).get(0);
        for (int i = 0; i < ReplicaHealth.FAILURES_TO_EJECT; i++) {
            r.failed(0, only);
        }
        assertThat(r.pick(0)).isNull();
    }

    @Test
    void theFileWatcherOffersChangesOnly() throws Exception {
        Path file = dir.resolve("routing.json");
        RoutingFileWatcher watcher = new RoutingFileWatcher(file, keeper);
        assertThat(watcher.poll()).as("missing file").isEqualTo(RouteKeeper.Outcome.REFUSED);
        Files.writeString(file, doc(1, "127.0.0.1:7000"));
        assertThat(watcher.poll()).isEqualTo(RouteKeeper.Outcome.INSTALLED);
        assertThat(watcher.poll()).isEqualTo(RouteKeeper.Outcome.UNCHANGED);
        Files.writeString(file, "{\"epoch\":2,\"shards\":[]}");
        assertThat(watcher.poll()).isEqualTo(RouteKeeper.Outcome.REFUSED);
        assertThat(keeper.epoch()).isEqualTo(1);
        Files.writeString(file, doc(2, "127.0.0.1:7001"));
        assertThat(watcher.poll()).isEqualTo(RouteKeeper.Outcome.INSTALLED);
        assertThat(keeper.epoch()).isEqualTo(2);
    }

    private static Set<InetSocketAddress> picks(Routes r) {
        Set<InetSocketAddress> out = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            InetSocketAddress a = r.pick(0);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }
}
