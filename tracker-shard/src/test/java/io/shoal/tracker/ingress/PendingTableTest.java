package io.shoal.tracker.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PendingTableTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 1);
    private static final InetSocketAddress REPLICA = new InetSocketAddress("127.0.0.1", 2);

    private static long add(PendingTable t, long deadline, int tx) {
        return t.add(deadline, 0, tx, 0, IngressMetrics.Kind.ANNOUNCE, CLIENT, REPLICA, null, null, 0);
    }

    @Test
    void boundedAndFindsOnlyLiveIds() {
        PendingTable t = new PendingTable(3);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            long id = add(t, 100, i);
            assertThat(id).isNotZero();
            ids.add(id);
        }
        assertThat(ids).hasSize(3);
        assertThat(add(t, 100, 9)).as("full").isZero();
        long first = ids.iterator().next();
        int slot = t.find(first);
        assertThat(slot).isNotNegative();
        t.remove(slot);
        assertThat(t.find(first)).as("answered: gone").isEqualTo(-1);
        long reused = add(t, 100, 7);
        assertThat(reused).isNotEqualTo(first);
        assertThat(t.find(reused)).isEqualTo(slot);
        assertThat(t.find(first)).as("the old id does not match the reused slot").isEqualTo(-1);
        assertThat(t.find(0)).isEqualTo(-1);
        assertThat(t.find(first | 0xFFFFF)).as("index beyond the table").isEqualTo(-1);
    }

    @Test
    void expiresOnlyWhatIsPastItsDeadline() {
        PendingTable t = new PendingTable(4);
        add(t, 10, 1);
        long late = add(t, 50, 2);
        add(t, 20, 3);
        List<Integer> txs = new ArrayList<>();
        t.expire(30, i -> txs.add(t.tx(i)));
        assertThat(txs).containsExactlyInAnyOrder(1, 3);
        assertThat(t.inFlight()).isEqualTo(1);
        assertThat(t.find(late)).isNotNegative();
    }
}
