package io.shoal.tracker.peers.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SwarmMapTest {

    @Test
    void findsEverySwarmThroughGrowthRemovalAndShrinking() {
        SwarmMap map = new SwarmMap(s -> (int) (firstWord(s) % 97)); // few distinct hashes: long, interleaved runs
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            map.add(swarm(i));
            present.add(i);
        }
        assertThat(map.size()).isEqualTo(3_000);
        assertThat(map.capacity()).isGreaterThanOrEqualTo(6_000);
        Random random = new Random(3);
        while (present.size() > 5) {
            int gone = present.remove(random.nextInt(present.size()));
            map.remove(lookup(map, gone, gone % 97));
            assertThat(lookup(map, gone, gone % 97)).isNull();
            if (present.size() % 250 == 0) {
                for (int i : present) {
                    assertThat(lookup(map, i, i % 97)).isNotNull();
                }
            }
        }
        assertThat(map.size()).isEqualTo(5);
        assertThat(map.capacity()).isLessThanOrEqualTo(64);
    }

    @Test
    void aWalkThatRemovesAsItGoesSeesEverySwarm() {
        SwarmMap map = new SwarmMap(s -> hashOf((int) firstWord(s)));
        for (int i = 0; i < 200; i++) {
            map.add(swarm(i));
        }
        Set<Swarm> seen = new HashSet<>();
        int slot = 0;
        while (slot < map.capacity()) {
            Swarm s = map.at(slot);
            if (s != null) {
                seen.add(s);
                if (s.is(evenKey(s), 0, 0)) {
                    map.removeAt(slot);
                    continue;
                }
            }
            slot++;
        }
        assertThat(seen).hasSize(200);
        assertThat(map.size()).isEqualTo(100);
        for (int i = 0; i < 200; i++) {
            assertThat(lookup(map, i, hashOf(i)) == null).as("swarm %d removed", i).isEqualTo(i % 2 == 0);
        }
    }

    /** Every 13th swarm homes in the last slot, so its probe run wraps around to the start of the table. */
    private static int hashOf(int i) {
        return i % 13 == 0 ? -1 : i % 5;
    }

    /** Swarm i has first word i; each test's map hashes it to values the test chooses. */
    private static Swarm swarm(int i) {
        return new Swarm(i, 0, 0);
    }

    private static long firstWord(Swarm s) {
        return Hashing.readLong(s.infoHash(), 0);
    }

    private static Swarm lookup(SwarmMap map, int i, int hash) {
        return map.get(hash, i, 0, 0);
    }

    /** The swarm's first word when it is even, some other value otherwise. */
    private static long evenKey(Swarm s) {
        long w0 = s.infoHash()[7] & 0xff | (s.infoHash()[6] & 0xffL) << 8;
        return w0 % 2 == 0 ? w0 : -1;
    }
}
