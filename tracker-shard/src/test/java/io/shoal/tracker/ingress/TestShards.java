package io.shoal.tracker.ingress;

import io.shoal.routing.SlotMap;
import io.shoal.tracker.peers.memory.MemoryPeerStore;
import io.shoal.tracker.server.ShardConfig;
import io.shoal.tracker.server.ShardRuntime;
import io.shoal.tracker.protocol.TrustedProxies;
import io.shoal.tracker.testing.LoopbackPorts;
import java.util.ArrayList;
import java.util.List;

/** Real shards on 127.0.0.1 with memory stores and internal ports, sharing one connection id key. */
final class TestShards implements AutoCloseable {
    final List<ShardRuntime> shards = new ArrayList<>();
    final byte[] key;

    TestShards(int count, byte[] key) throws Exception {
        this.key = key.clone();
        try {
            for (int i = 0; i < count; i++) {
                shards.add(startOne(key));
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * A shard whose internal UDP and TCP ports share one number, as an endpoint names both; a number found free
     * may be taken by the time it is bound, so a few are tried.
     */
    private static ShardRuntime startOne(byte[] key) throws Exception {
        for (int attempt = 1; ; attempt++) {
            ShardConfig config = ShardConfig.builder()
                    .bind("127.0.0.1")
                    .port(0)
                    .adminPort(0)
                    .internalPort(LoopbackPorts.freeTcpAndUdp())
                    .threads(1)
                    .connectionIdKey(key)
                    .trustedProxies(TrustedProxies.parse(List.of("127.0.0.0/8")))
                    .build();
            try {
                return ShardRuntime.start(config, new MemoryPeerStore(config.peerStoreConfig()));
            } catch (Exception e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    ShardRuntime get(int i) {
        return shards.get(i);
    }

    String endpoint(int i) {
        return "127.0.0.1:" + shards.get(i).internalUdpPort();
    }

    /** An even slot map over these shards' internal UDP ports. */
    SlotMap evenMap(long epoch) {
        SlotMap even = SlotMap.even(shards.size(), this::endpoint);
        return new SlotMap(epoch, even.shards());
    }

    @Override
    public void close() {
        for (ShardRuntime s : shards) {
            s.close();
        }
    }
}
