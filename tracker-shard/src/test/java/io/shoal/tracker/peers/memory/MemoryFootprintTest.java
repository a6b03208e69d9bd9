package io.shoal.tracker.peers.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.StoreStats;
import io.shoal.tracker.peers.TestPeer;
import io.shoal.tracker.protocol.AnnounceEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints how much heap a peer costs and how long an announce takes (numbers to report, not to assert).
 * Tagged {@code measure}: excluded from the default run; run with
 * {@code -Dgroups=measure -DexcludedGroups=none -Dtest=MemoryFootprintTest}.
 */
@Tag("measure")
class MemoryFootprintTest {
    private static final int TORRENTS = 100_000;
    private static final int PEERS_PER_TORRENT = 10;

    @Test
    void heapPerPeerWithAMillionPeersOverAHundredThousandTorrents() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        MemoryPeerStore store = new MemoryPeerStore(PeerStoreConfig.defaults());
        byte[][] hashes = new byte[TORRENTS][];
        for (int t = 0; t < TORRENTS; t++) {
            hashes[t] = TestPeer.infoHash(t);
        }
        long fillStart = System.nanoTime();
        for (int p = 0; p < PEERS_PER_TORRENT; p++) {
            for (int t = 0; t < TORRENTS; t++) {
                store.announce(announce(hashes[t], TestPeer.v4(t * PEERS_PER_TORRENT + p, 6881), p % 4 == 0, 0));
            }
        }
        long fillNanos = System.nanoTime() - fillStart;
        StoreStats stats = store.stats();
        assertThat(stats.peers()).isEqualTo((long) TORRENTS * PEERS_PER_TORRENT);
        assertThat(stats.torrents()).isEqualTo(TORRENTS);
        long filled = usedAfterGc(memory);
        long hashesBytes = (long) TORRENTS * (16 + 20 + 4 + 4); // the test's own info hash arrays, still reachable

        // announces built beforehand, so that the timing is the store's: 10,000 torrents' peers, 10 rounds
        PeerAnnounce[] again = new PeerAnnounce[10_000 * PEERS_PER_TORRENT];
        for (int i = 0; i < again.length; i++) {
            int t = i % 10_000;
            again[i] = announce(hashes[t], TestPeer.v4(t * PEERS_PER_TORRENT + i / 10_000, 6881), false, 50);
        }
        int rounds = 10;
        long returned = 0;
        long reannounceStart = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (PeerAnnounce a : again) {
                returned += store.announce(a).toCompletableFuture().join().peerCount4();
            }
        }
        long reannounceNanos = System.nanoTime() - reannounceStart;
        assertThat(returned).isEqualTo((long) rounds * again.length * (PEERS_PER_TORRENT - 1));
        System.out.printf("memory store: fill %,d ns per new peer; re-announce with numwant 50 (9 returned) %,d ns%n",
                fillNanos / stats.peers(), reannounceNanos / ((long) rounds * again.length));

        double perPeer = (filled - before - hashesBytes) / (double) stats.peers();
        // G1 counts the unfilled tails of the regions its parallel full GC compacts into (a few MB whatever the
        // store holds); the serial collector (-DargLine=-XX:+UseSerialGC, as a shard runs) counts live bytes only
        System.out.printf(java.util.Locale.ROOT, "memory store: %,d peers over %,d torrents: %,d bytes of heap, %.1f bytes"
                        + " per peer (GC %s)%n", stats.peers(), stats.torrents(), filled - before - hashesBytes, perPeer,
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        store.close();
    }

    private static PeerAnnounce announce(byte[] infoHash, TestPeer peer, boolean seeder, int numwant) {
        return new PeerAnnounce(infoHash, peer.ip(), peer.port(), peer.peerId(), seeder, AnnounceEvent.NONE,
                numwant, PeerFamilies.V4, false);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
