package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.id20;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.memory.MemoryPeerStore;
import io.shoal.tracker.protocol.AnnounceEvent;
import io.shoal.tracker.protocol.Bencode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FullScrapeCacheTest {
    private final MemoryPeerStore store = new MemoryPeerStore(PeerStoreConfig.defaults());
    private final ExecutorService builder = Executors.newSingleThreadExecutor();
    private final AtomicLong now = new AtomicLong(0);
    private AccessList access = AccessList.OPEN;
    private final FullScrapeCache cache = new FullScrapeCache(store, () -> access, Duration.ofSeconds(10), builder,
            now::get);

    @AfterEach
    void close() {
        builder.shutdownNow();
        store.close();
    }

    private void announce(byte[] hash, int port) {
        store.announce(new PeerAnnounce(hash, new byte[] {10, 0, 0, 1}, port, id20(port), true, AnnounceEvent.STARTED,
                0, PeerFamilies.BOTH, false)).toCompletableFuture().join();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> files(byte[] doc) {
        return (Map<String, Object>) ((Map<String, Object>) Bencode.decode(doc)).get("files");
    }

    private static String key(byte[] hash) {
        return new String(hash, StandardCharsets.ISO_8859_1);
    }

    @Test
    void keepsOneDocumentPerRefreshPeriodRawAndGzipped() throws Exception {
        announce(id20(1), 1);
        FullScrapeCache.Snapshot first = cache.get().toCompletableFuture().get();
        assertThat(first.torrents()).isEqualTo(1);
        assertThat(files(first.raw())).containsOnlyKeys(key(id20(1)));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(first.gzip()))) {
            assertThat(in.readAllBytes()).isEqualTo(first.raw());
        }

        announce(id20(2), 1);
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(cache.get().toCompletableFuture().get()).as("still fresh").isSameAs(first);

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        FullScrapeCache.Snapshot second = cache.get().toCompletableFuture().get();
        assertThat(files(second.raw())).containsOnlyKeys(key(id20(1)), key(id20(2)));
    }

    @Test
    void leavesOutHashesTheAccessListRefuses() throws Exception {
        announce(id20(3), 1);
        announce(id20(4), 1);
        access = AccessList.of(AccessMode.DENY, List.of(id20(3)));
        assertThat(files(cache.get().toCompletableFuture().get().raw())).containsOnlyKeys(key(id20(4)));
    }
}
