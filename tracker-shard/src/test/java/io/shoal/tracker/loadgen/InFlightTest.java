package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InFlightTest {

    @Test
    void boundsTheRequestsInFlight() {
        InFlight window = new InFlight(3, 1);
        int a = window.acquire();
        int b = window.acquire();
        int c = window.acquire();
        assertThat(Set.of(a, b, c)).hasSize(3);
        assertThat(window.isFull()).isTrue();
        assertThat(window.acquire()).isEqualTo(-1);
        window.kind[b] = PlannedRequest.ANNOUNCE;
        window.release(b);
        assertThat(window.size()).isEqualTo(2);
        assertThat(window.acquire()).isEqualTo(b);
    }

    @Test
    void aReusedSlotGetsANewTransactionIdAndTheOldOneNoLongerMatches() {
        InFlight window = new InFlight(1, 1);
        Set<Integer> ids = new HashSet<>();
        int previous = 0;
        for (int i = 0; i < 1000; i++) {
            int slot = window.acquire();
            window.kind[slot] = PlannedRequest.CONNECT;
            int tid = window.transactionId(slot);
            assertThat(ids.add(tid)).isTrue();
            assertThat(window.slotOf(tid)).isEqualTo(slot);
            if (i > 0) {
                assertThat(window.slotOf(previous)).isEqualTo(-1);
            }
            previous = tid;
            window.release(slot);
            assertThat(window.slotOf(tid)).as("released").isEqualTo(-1);
        }
    }

    @Test
    void remembersTimedOutRequestsOnce() {
        InFlight window = new InFlight(2, 1);
        int slot = window.acquire();
        window.kind[slot] = PlannedRequest.SCRAPE;
        int tid = window.transactionId(slot);
        window.releaseTimedOut(slot);
        assertThat(window.slotOf(tid)).isEqualTo(-1);
        assertThat(window.wasTimedOut(tid)).isTrue();
        assertThat(window.wasTimedOut(tid)).isFalse();
        assertThat(window.wasTimedOut(tid + 1)).isFalse();
    }
}
