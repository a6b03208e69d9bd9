package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficMixTest {
    private final Workload workload = new Workload(5, 200, 300, 6, 20000);

    @Test
    void warmupStartsEverySwarmMemberExactlyOnce() {
        TrafficMix mix = new TrafficMix(workload, 5, 80, 5);
        PlannedRequest r = new PlannedRequest(5);
        Set<Long> seen = new HashSet<>();
        while (mix.nextWarmup(r)) {
            assertThat(r.kind).isEqualTo(PlannedRequest.ANNOUNCE);
            assertThat(r.event).isEqualTo(PeerLifecycle.STARTED);
            assertThat(workload.isMember(r.torrent, r.client)).isTrue();
            assertThat(seen.add((long) r.torrent << 32 | r.client)).isTrue();
        }
        assertThat(seen).hasSize(workload.totalPeers());
        assertThat(mix.warmupDone()).isEqualTo(workload.totalPeers());
    }

    @Test
    void loadMixesAnnouncesAndScrapesOfDistinctHashes() {
        TrafficMix mix = new TrafficMix(workload, 5, 80, 5);
        PlannedRequest r = new PlannedRequest(5);
        int announces = 0;
        int[] events = new int[4];
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            mix.nextLoad(r);
            if (r.kind == PlannedRequest.ANNOUNCE) {
                announces++;
                events[r.event]++;
                assertThat(workload.isMember(r.torrent, r.client)).isTrue();
            } else {
                assertThat(r.kind).isEqualTo(PlannedRequest.SCRAPE);
                assertThat(r.hashCount).isEqualTo(5);
                Set<Integer> hashes = new HashSet<>();
                for (int h = 0; h < r.hashCount; h++) {
                    hashes.add(r.hashes[h]);
                }
                assertThat(hashes).hasSize(5);
            }
        }
        assertThat(announces).isBetween(draws * 77 / 100, draws * 83 / 100);
        assertThat(events[PeerLifecycle.NONE]).as("most announces are periodic").isGreaterThan(announces * 3 / 4);
        assertThat(events[PeerLifecycle.STARTED]).isPositive();
        assertThat(events[PeerLifecycle.COMPLETED]).isPositive();
        assertThat(events[PeerLifecycle.STOPPED]).isPositive();
    }

    @Test
    void theSameSeedDrawsTheSameRequests() {
        TrafficMix a = new TrafficMix(workload, 9, 80, 3);
        TrafficMix b = new TrafficMix(workload, 9, 80, 3);
        PlannedRequest ra = new PlannedRequest(3);
        PlannedRequest rb = new PlannedRequest(3);
        for (int i = 0; i < 1000; i++) {
            a.nextLoad(ra);
            b.nextLoad(rb);
            assertThat(ra.kind).isEqualTo(rb.kind);
            assertThat(ra.client).isEqualTo(rb.client);
            assertThat(ra.torrent).isEqualTo(rb.torrent);
            assertThat(ra.event).isEqualTo(rb.event);
            assertThat(ra.left).isEqualTo(rb.left);
        }
    }

    @Test
    void seedersReportNothingLeftAndStoppedPeersStartAgain() {
        assertThat(PeerLifecycle.nextEvent(Workload.ABSENT, 0)).isEqualTo(PeerLifecycle.STARTED);
        assertThat(PeerLifecycle.nextEvent(Workload.ABSENT, 99)).isEqualTo(PeerLifecycle.STARTED);
        assertThat(PeerLifecycle.nextEvent(Workload.SEEDER, 50)).isEqualTo(PeerLifecycle.NONE);
        assertThat(PeerLifecycle.nextEvent(Workload.SEEDER, 0)).isEqualTo(PeerLifecycle.STOPPED);
        assertThat(PeerLifecycle.nextEvent(Workload.LEECHER, 5)).isEqualTo(PeerLifecycle.COMPLETED);
        assertThat(PeerLifecycle.stateAfter(Workload.LEECHER, PeerLifecycle.COMPLETED, 50)).isEqualTo(Workload.SEEDER);
        assertThat(PeerLifecycle.stateAfter(Workload.SEEDER, PeerLifecycle.STOPPED, 50)).isEqualTo(Workload.ABSENT);
        assertThat(PeerLifecycle.stateAfter(Workload.LEECHER, PeerLifecycle.NONE, 50)).isEqualTo(Workload.LEECHER);
        assertThat(PeerLifecycle.leftFor(Workload.SEEDER, 7)).isZero();
        assertThat(PeerLifecycle.leftFor(Workload.LEECHER, 0)).isPositive();
    }
}
