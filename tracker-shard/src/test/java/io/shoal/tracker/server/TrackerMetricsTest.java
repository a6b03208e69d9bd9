package io.shoal.tracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.memory.MemoryPeerStore;
import io.shoal.tracker.server.TrackerMetrics.Kind;
import io.shoal.tracker.server.TrackerMetrics.Protocol;
import io.shoal.tracker.server.TrackerMetrics.Result;
import org.junit.jupiter.api.Test;

class TrackerMetricsTest {

    @Test
    void everyRequestIsCountedButOnlyTimedOnesReachTheTimer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MemoryPeerStore store = new MemoryPeerStore(PeerStoreConfig.defaults(), 1);
             TrackerMetrics metrics = new TrackerMetrics(registry, store)) {
            metrics.record(Protocol.UDP, Kind.ANNOUNCE, Result.OK, TrackerMetrics.NOT_TIMED);
            metrics.record(Protocol.UDP, Kind.ANNOUNCE, Result.OK, System.nanoTime());
            metrics.record(Protocol.UDP, Kind.ANNOUNCE, Result.OK, TrackerMetrics.NOT_TIMED);

            assertThat(metrics.requests(Protocol.UDP, Kind.ANNOUNCE, Result.OK)).isEqualTo(3);
            Timer timer = registry.get(TrackerMetrics.DURATION).tags("protocol", "udp", "kind", "announce").timer();
            assertThat(timer.count()).isEqualTo(1);
        }
    }

    @Test
    void aboutOneUdpRequestInTheSampleSizeIsTimed() {
        int calls = TrackerMetrics.UDP_TIMING_SAMPLE * 10_000;
        int timed = 0;
        for (int i = 0; i < calls; i++) {
            if (TrackerMetrics.startUdp() != TrackerMetrics.NOT_TIMED) {
                timed++;
            }
        }
        // expected 10,000; the bounds are dozens of standard deviations away
        assertThat(timed).isBetween(8_000, 12_000);
    }
}
