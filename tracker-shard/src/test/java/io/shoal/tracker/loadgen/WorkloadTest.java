package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void theSameSeedGivesTheSameWorldAndAnotherSeedAnotherOne() {
        Workload a = new Workload(11, 100, 500, 10, 20000);
        Workload b = new Workload(11, 100, 500, 10, 20000);
        Workload c = new Workload(12, 100, 500, 10, 20000);
        assertThat(a.infoHashes()).isEqualTo(b.infoHashes()).isNotEqualTo(c.infoHashes());
        assertThat(a.totalPeers()).isEqualTo(b.totalPeers());
        assertThat(a.peerId(5, new byte[20])).isEqualTo(b.peerId(5, new byte[20]));
    }

    @Test
    void clientsHaveDistinctPeerIdsAndPorts() {
        Workload w = new Workload(1, 300, 10, 5, 40000);
        Set<ByteBuffer> ids = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (int c = 0; c < w.clients(); c++) {
            ids.add(ByteBuffer.wrap(w.peerId(c, new byte[20])));
            ports.add(w.portOf(c));
            assertThat(w.clientOfPort(w.portOf(c))).isEqualTo(c);
        }
        assertThat(ids).hasSize(300);
        assertThat(ports).hasSize(300);
        assertThat(w.clientOfPort(39999)).isEqualTo(-1);
        assertThat(w.clientOfPort(40300)).isEqualTo(-1);
    }

    @Test
    void membershipIsExactlyTheClientsListedForEachSwarm() {
        Workload w = new Workload(3, 97, 200, 8, 20000);
        boolean sawBigSwarm = false;
        for (int t = 0; t < w.torrents(); t++) {
            Set<Integer> members = new HashSet<>();
            for (int m = 0; m < w.swarmSize(t); m++) {
                members.add(w.clientOf(t, m));
            }
            assertThat(members).hasSize(w.swarmSize(t));
            for (int c = 0; c < w.clients(); c++) {
                assertThat(w.isMember(t, c)).isEqualTo(members.contains(c));
            }
            assertThat(w.isMember(t, -1)).isFalse();
            assertThat(w.isMember(t, w.clients())).isFalse();
            sawBigSwarm |= w.swarmSize(t) == 32;
            assertThat(w.swarmSize(t)).isBetween(1, 32);
        }
        assertThat(sawBigSwarm).as("every 20th swarm is four times the mean").isTrue();
    }

    @Test
    void swarmsNeverExceedTheClients() {
        Workload w = new Workload(3, 5, 40, 8, 20000);
        for (int t = 0; t < w.torrents(); t++) {
            assertThat(w.swarmSize(t)).isBetween(1, 5);
        }
    }

    @Test
    void infohashesAreWrittenAsHex() {
        Workload w = new Workload(3, 5, 2, 2, 20000);
        byte[] h = w.infoHashes();
        assertThat(w.infoHashHex(1)).hasSize(40)
                .isEqualTo(java.util.HexFormat.of().formatHex(h, 20, 40));
    }

    @Test
    void refusesPortsThatDoNotFit() {
        assertThatThrownBy(() -> new Workload(1, 100, 1, 1, 65500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Workload(1, 0, 1, 1, 2000)).isInstanceOf(IllegalArgumentException.class);
    }
}
