package io.shoal.tracker.server;

import io.shoal.tracker.peers.memory.MemoryPeerStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/** A real shard on loopback (127.0.0.1 and ::1, ephemeral ports) over a real {@link MemoryPeerStore}. */
final class TestShard implements AutoCloseable {
    static final InetAddress V4 = address("127.0.0.1");
    static final InetAddress V6 = address("::1");

    final ShardRuntime runtime;
    final MemoryPeerStore store;

    private TestShard(ShardRuntime runtime, MemoryPeerStore store) {
        this.runtime = runtime;
        this.store = store;
    }

    static TestShard start() throws Exception {
        return start(b -> { });
    }

    static TestShard start(Consumer<ShardConfig.Builder> settings) throws Exception {
        ShardConfig.Builder b = ShardConfig.builder()
                .bind("127.0.0.1", "::1")
                .port(0)
                .adminPort(0)
                .threads(2);
        settings.accept(b);
        ShardConfig config = b.build();
        MemoryPeerStore store = new MemoryPeerStore(config.peerStoreConfig());
        return new TestShard(ShardRuntime.start(config, store), store);
    }

    InetSocketAddress udp(InetAddress host) {
        return new InetSocketAddress(host, runtime.udpPort());
    }

    URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + runtime.httpPort() + pathAndQuery);
    }

    URI http6(String pathAndQuery) {
        return URI.create("http://[::1]:" + runtime.httpPort() + pathAndQuery);
    }

    URI admin(String path) {
        return URI.create("http://127.0.0.1:" + runtime.adminPort() + path);
    }

    @Override
    public void close() {
        runtime.close();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
