package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.NumwantSplit;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PeerSplitTest {

    @Test
    void everythingFitsThenNothingIsCut() {
        assertThat(NumwantSplit.wanted4(50, 10, 5)).isEqualTo(10);
        assertThat(NumwantSplit.wanted6(50, 10, 5)).isEqualTo(5);
        assertThat(NumwantSplit.wanted4(15, 10, 5)).isEqualTo(10);
        assertThat(NumwantSplit.wanted4(0, 0, 0)).isZero();
    }

    @Test
    void oneNumwantIsSharedInProportion() {
        assertThat(NumwantSplit.wanted4(4, 6, 6)).isEqualTo(2);
        assertThat(NumwantSplit.wanted6(4, 6, 6)).isEqualTo(2);
        assertThat(NumwantSplit.wanted4(10, 90, 10) + NumwantSplit.wanted6(10, 90, 10)).isEqualTo(10);
        assertThat(NumwantSplit.wanted4(10, 90, 10)).isEqualTo(9);
        assertThat(NumwantSplit.wanted4(5, 100, 0)).isEqualTo(5);
        assertThat(NumwantSplit.wanted6(5, 0, 100)).isEqualTo(5);
        assertThat(NumwantSplit.wanted6(5, 100, 0)).isZero();
    }

    @Test
    void takeReturnsDistinctEntriesAtRandom() {
        int count = 10;
        byte[] entries = new byte[count * 6];
        for (int i = 0; i < count; i++) {
            entries[i * 6] = (byte) i;
        }
        Set<Integer> firsts = new HashSet<>();
        for (int round = 0; round < 200; round++) {
            byte[] taken = PeerSplit.take(entries.clone(), count, 6, 3);
            assertThat(taken).hasSize(18);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                assertThat(seen.add((int) taken[i * 6])).isTrue();
            }
            firsts.add((int) taken[0]);
        }
        assertThat(firsts.size()).as("which entry comes first over 200 draws").isGreaterThan(5);
        assertThat(PeerSplit.take(entries.clone(), count, 6, 50)).hasSize(60);
        assertThat(PeerSplit.take(entries.clone(), 4, 6, 50)).hasSize(24);
        assertThat(PeerSplit.take(entries.clone(), count, 6, 0)).isEmpty();
    }
}
