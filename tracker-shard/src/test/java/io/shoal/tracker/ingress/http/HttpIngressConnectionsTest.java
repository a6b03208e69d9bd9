package io.shoal.tracker.ingress.http;

import static io.shoal.tracker.ingress.http.HttpIngressTest.failure;
import static io.shoal.tracker.ingress.http.HttpIngressTest.getDict;
import static io.shoal.tracker.ingress.http.HttpIngressTest.peerId;
import static io.shoal.tracker.testing.TrackerRequests.announceQuery;
import static io.shoal.tracker.testing.TrackerRequests.pct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.shoal.tracker.server.Transport;
import io.shoal.tracker.server.TransportKind;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ingress's connections to shards over time, and an ingress that has no routes yet. */
class HttpIngressConnectionsTest {

    @Test
    void connectionsTheShardClosedWhileIdleAreNotUsedAgain() throws Exception {
        try (IngressRig rig = IngressRig.withShards(2, b -> b.httpIdleTimeout(Duration.ofMillis(200)))) {
            for (int round = 0; round < 3; round++) {
                for (int shard = 0; shard < 2; shard++) {
                    Map<String, Object> a = getDict(rig.viaIngress("/announce?"
                            + announceQuery(rig.hashOf(shard, round), peerId(round), 6881, 0, "")));
                    assertThat(failure(a)).as("round " + round + ", shard " + shard).isNull();
                }
                // Longer than the shards' idle timeout: they close the pooled connections.
                Thread.sleep(500);
            }
            assertThat(rig.routes.failures.get()).isZero();
            assertThat(rig.requests("announce", "0", "ok") + rig.requests("announce", "1", "ok")).isEqualTo(6);
        }
    }

    @Test
    void anAnswerLargerThanAllowedIsABadAnswerAndTheConnectionIsNotReused() throws Exception {
        try (IngressRig rig = IngressRig.start(1, (k, live) -> List.of(live), b -> b.maxResponseBytes(1024))) {
            StringBuilder scrape = new StringBuilder("/scrape?");
            for (int i = 0; i < 40; i++) {   // about 50 bytes of answer per hash
                scrape.append(i == 0 ? "" : "&").append("info_hash=").append(pct(rig.hashOf(0, i)));
            }
            assertThat(failure(getDict(rig.viaIngress(scrape.toString())))).isEqualTo("bad answer from tracker shard");
            assertThat(rig.requests("scrape", "0", "error")).isEqualTo(1);
            Map<String, Object> small = getDict(rig.viaIngress("/scrape?info_hash=" + pct(rig.hashOf(0, 1))));
            assertThat(failure(small)).isNull();
            assertThat((Map<?, ?>) small.get("files")).hasSize(1);
        }
    }

    @Test
    void aPortInUseFailsTheStartAndLeavesNothingOpen() throws Exception {
        Transport transport = Transport.select(TransportKind.NIO);
        EventLoopGroup group = transport.newGroup(1, "ingress-test");
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            boolean released = false;
            // A number free a moment ago may be taken by another process meanwhile (tests run in parallel on this
            // machine): then try another. Were the first listener left open, no attempt could bind its port again.
            for (int attempt = 0; attempt < 3 && !released; attempt++) {
                int free;
                try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
                    free = probe.getLocalPort();
                }
                assertThatThrownBy(() -> HttpIngress.start(HttpIngressSettings.builder().build(), transport, group,
                        List.of(new InetSocketAddress(v6, free),
                                new InetSocketAddress("127.0.0.1", taken.getLocalPort())),
                        () -> null, new SimpleMeterRegistry()))
                        .isInstanceOf(BindException.class);
                released = rebindable(free, v6);
            }
            assertThat(released).as("the listener that did start was closed again").isTrue();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }

    /**
     * Whether the port can be bound again within a second. NIO closes a listening socket that is registered with a
     * selector only when the selector next runs, a moment after the close future completes, so a busy machine needs
     * a few tries; a port another process took meanwhile stays taken.
     */
    private static boolean rebindable(int port, InetAddress address) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        do {
            try (ServerSocket again = new ServerSocket(port, 1, address)) {
                return again.getLocalPort() == port;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    @Test
    void withoutRoutesRequestsFailWithAReason() throws Exception {
        Transport transport = Transport.select(TransportKind.NIO);
        EventLoopGroup group = transport.newGroup(1, "ingress-test");
        try (HttpIngress ingress = HttpIngress.start(HttpIngressSettings.builder().build(), transport, group,
                List.of(new InetSocketAddress("127.0.0.1", 0)), () -> null, new SimpleMeterRegistry())) {
            String base = "http://127.0.0.1:" + ingress.localAddresses().get(0).getPort();
            byte[] hash = new byte[20];
            assertThat(failure(getDict(URI.create(base + "/announce?" + announceQuery(hash, peerId(1), 6881, 0, "")))))
                    .isEqualTo("tracker shard unavailable");
            assertThat(failure(getDict(URI.create(base + "/scrape?info_hash=" + pct(hash)))))
                    .isEqualTo("tracker shard unavailable");
            assertThat(failure(getDict(URI.create(base + "/scrape")))).isEqualTo("tracker shard unavailable");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }
}
