package io.shoal.tracker.ingress.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.shoal.routing.SlotMap;
import io.shoal.routing.Slots;
import io.shoal.tracker.peers.memory.MemoryPeerStore;
import io.shoal.tracker.protocol.TrustedProxies;
import io.shoal.tracker.server.RateLimit;
import io.shoal.tracker.server.ShardConfig;
import io.shoal.tracker.server.ShardRuntime;
import io.shoal.tracker.server.Transport;
import io.shoal.tracker.server.TransportKind;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Real shards (memory store, on 127.0.0.1, trusting 127.0.0.1 as their proxy) behind a real {@link HttpIngress} on
 * 127.0.0.1 and ::1, all on ephemeral ports.
 */
final class IngressRig implements AutoCloseable {
    final List<ShardRuntime> shards = new ArrayList<>();
    final SlotMap map;
    final FixedRoutes routes;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final EventLoopGroup group;
    final HttpIngress ingress;

    private IngressRig(int shardCount, BiFunction<Integer, InetSocketAddress, List<InetSocketAddress>> replicasOf,
                       Consumer<HttpIngressSettings.Builder> settings, Consumer<ShardConfig.Builder> shardSettings,
                       boolean internalPorts) throws Exception {
        map = SlotMap.even(shardCount);
        List<List<InetSocketAddress>> replicas = new ArrayList<>();
        for (int k = 0; k < shardCount; k++) {
            ShardConfig.Builder sb = ShardConfig.builder()
                    .bind("127.0.0.1")
                    .port(0)
                    .adminPort(0)
                    .threads(1)
                    .transport(TransportKind.NIO)
                    .fullScrapeRate(new RateLimit(100, Duration.ofSeconds(1)))
                    .fullScrapeRefresh(Duration.ofMillis(100))
                    .trustedProxies(TrustedProxies.parse(List.of("127.0.0.1/32")));
            if (internalPorts) {
                sb.internalPort(ShardConfig.EPHEMERAL_INTERNAL_PORT);
            }
            shardSettings.accept(sb);
            ShardConfig config = sb.build();
            ShardRuntime shard = ShardRuntime.start(config, new MemoryPeerStore(config.peerStoreConfig()));
            shards.add(shard);
            replicas.add(replicasOf.apply(k, new InetSocketAddress("127.0.0.1",
                    internalPorts ? shard.internalHttpPort() : shard.httpPort())));
        }
        routes = new FixedRoutes(map, replicas);
        Transport transport = Transport.select(TransportKind.NIO);
        group = transport.newGroup(2, "ingress-test");
        HttpIngressSettings.Builder b = HttpIngressSettings.builder()
                .forwardTimeout(Duration.ofSeconds(5))
                .fullScrapeRate(new RateLimit(2, Duration.ofMinutes(1)));
        settings.accept(b);
        ingress = HttpIngress.start(b.build(), transport, group,
                List.of(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("::1", 0)),
                () -> routes, registry);
    }

    static IngressRig start(int shardCount) throws Exception {
        return new IngressRig(shardCount, (k, live) -> List.of(live), b -> { }, b -> { }, false);
    }

    /**
     * @param replicasOf the replica addresses routed to for shard k, given the address of the live shard k
     */
    static IngressRig start(int shardCount, BiFunction<Integer, InetSocketAddress, List<InetSocketAddress>> replicasOf,
                            Consumer<HttpIngressSettings.Builder> settings) throws Exception {
        return new IngressRig(shardCount, replicasOf, settings, b -> { }, false);
    }

    static IngressRig withShards(int shardCount, Consumer<ShardConfig.Builder> shardSettings) throws Exception {
        return new IngressRig(shardCount, (k, live) -> List.of(live), b -> { }, shardSettings, false);
    }

    /** As deployed: the ingress talks to each shard's internal port, with the given settings on both sides. */
    static IngressRig behindInternalPorts(int shardCount, Consumer<HttpIngressSettings.Builder> settings,
                                          Consumer<ShardConfig.Builder> shardSettings) throws Exception {
        return new IngressRig(shardCount, (k, live) -> List.of(live), settings, shardSettings, true);
    }

    int ingressPort(int bind) {
        return ingress.localAddresses().get(bind).getPort();
    }

    URI viaIngress(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + ingressPort(0) + pathAndQuery);
    }

    URI viaIngress6(String pathAndQuery) {
        return URI.create("http://[::1]:" + ingressPort(1) + pathAndQuery);
    }

    URI direct(int shard, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + shards.get(shard).httpPort() + pathAndQuery);
    }

    /** A hash owned by {@code shard}, distinct per {@code label}. */
    byte[] hashOf(int shard, int label) {
        for (int slot = 0; slot < Slots.COUNT; slot += 97) {
            if (map.shardOfSlot(slot) == shard) {
                byte[] h = new byte[20];
                h[0] = (byte) (slot >>> 8);
                h[1] = (byte) slot;
                h[2] = (byte) shard;
                h[16] = (byte) (label >>> 24);
                h[17] = (byte) (label >>> 16);
                h[18] = (byte) (label >>> 8);
                h[19] = (byte) label;
                return h;
            }
        }
        throw new IllegalStateException("shard " + shard + " owns no slot");
    }

    double requests(String kind, String shard, String result) {
        var c = registry.find(HttpIngressMeters.REQUESTS).tags("protocol", "http", "kind", kind, "shard", shard,
                "result", result).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        ingress.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        shards.forEach(ShardRuntime::close);
    }
}
