package io.shoal.tracker.peers.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.peers.CompactPeers;
import io.shoal.tracker.peers.TestPeer;
import io.shoal.tracker.peers.TestPeer.Endpoint;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerTableTest {

    /** What the table should hold for one peer. */
    private record Expected(byte[] id, int expiresAt, boolean seeder) {
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 16})
    void randomInsertsRefreshesAndRemovalsMatchAModel(int addressLength) {
        Random random = new Random(42 + addressLength);
        PeerTable table = PeerTable.of(addressLength);
        Map<Endpoint, Expected> model = new HashMap<>();
        List<Endpoint> keys = new ArrayList<>();
        for (int op = 0; op < 40_000; op++) {
            // grow to a few thousand, then drain, then grow again: covers index build, growth and shrink
            boolean growing = (op / 10_000) % 2 == 0;
            int roll = random.nextInt(10);
            int insertBelow = growing ? 6 : 1;
            int refreshBelow = growing ? 8 : 4;
            if (keys.isEmpty() || roll < insertBelow) {
                Endpoint key = randomEndpoint(random, addressLength);
                Expected value = new Expected(TestPeer.id(op), random.nextInt(1 << 20), random.nextBoolean());
                if (table.find(key.ip(), key.port()) >= 0) {
                    assertThat(model).containsKey(key);
                    continue;
                }
                assertThat(model).doesNotContainKey(key);
                table.add(key.ip(), key.port(), value.id(), value.expiresAt(), value.seeder());
                model.put(key, value);
                keys.add(key);
            } else if (roll < refreshBelow) {
                int k = random.nextInt(keys.size());
                Endpoint key = keys.get(k);
                int entry = table.find(key.ip(), key.port());
                Expected value = new Expected(TestPeer.id(op), random.nextInt(1 << 20), random.nextBoolean());
                boolean wasSeeder = table.refresh(entry, value.id(), value.expiresAt(), value.seeder());
                assertThat(wasSeeder).isEqualTo(model.put(key, value).seeder());
            } else {
                int k = random.nextInt(keys.size());
                Endpoint key = keys.get(k);
                keys.set(k, keys.get(keys.size() - 1));
                keys.remove(keys.size() - 1);
                table.remove(table.find(key.ip(), key.port()));
                model.remove(key);
                assertThat(table.find(key.ip(), key.port())).isEqualTo(-1);
            }
            if (op % 997 == 0) {
                assertMatches(table, model);
            }
        }
        assertMatches(table, model);
        for (Endpoint key : keys) {
            table.remove(table.find(key.ip(), key.port()));
        }
        assertThat(table.size()).isZero();
        assertThat(table.capacity()).isEqualTo(PeerTable.MIN_CAPACITY);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 16})
    void growsAndShrinksGeometrically(int addressLength) {
        PeerTable table = PeerTable.of(addressLength);
        for (int i = 0; i < 5_000; i++) {
            Endpoint key = endpoint(addressLength, i);
            table.add(key.ip(), key.port(), TestPeer.id(i), 100, false);
            assertThat(table.capacity()).isGreaterThanOrEqualTo(table.size()).isLessThanOrEqualTo(2 * table.size());
        }
        for (int i = 0; i < 5_000; i++) {
            Endpoint key = endpoint(addressLength, i);
            assertThat(table.find(key.ip(), key.port())).as("entry %d", i).isNotNegative();
        }
        for (int i = 0; i < 4_990; i++) {
            Endpoint key = endpoint(addressLength, i);
            table.remove(table.find(key.ip(), key.port()));
        }
        assertThat(table.size()).isEqualTo(10);
        assertThat(table.capacity()).isLessThanOrEqualTo(40);
        for (int i = 4_990; i < 5_000; i++) {
            Endpoint key = endpoint(addressLength, i);
            assertThat(table.find(key.ip(), key.port())).isNotNegative();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 16})
    void removeExpiredKeepsOnlyLaterExpiriesAndReportsTheEarliest(int addressLength) {
        PeerTable table = PeerTable.of(addressLength);
        int seeders = 0;
        for (int i = 0; i < 1_000; i++) {
            Endpoint key = endpoint(addressLength, i);
            boolean seeder = i % 3 == 0;
            table.add(key.ip(), key.port(), TestPeer.id(i), 1_000 + (i * 7919) % 1_000, seeder);
        }
        int earliest = table.removeExpired(1_499);
        for (int i = 0; i < 1_000; i++) {
            Endpoint key = endpoint(addressLength, i);
            int expiresAt = 1_000 + (i * 7919) % 1_000;
            int entry = table.find(key.ip(), key.port());
            if (expiresAt <= 1_499) {
                assertThat(entry).as("expired entry %d", i).isEqualTo(-1);
            } else {
                assertThat(entry).as("live entry %d", i).isNotNegative();
                assertThat(table.expiresAt(entry)).isEqualTo(expiresAt);
                assertThat(table.isSeeder(entry)).isEqualTo(i % 3 == 0);
                seeders += i % 3 == 0 ? 1 : 0;
            }
        }
        assertThat(table.size()).isEqualTo(500);
        assertThat(table.seeders()).isEqualTo(seeders);
        assertThat(earliest).isEqualTo(1_500);
        assertThat(table.removeExpired(5_000)).isEqualTo(Integer.MAX_VALUE);
        assertThat(table.size()).isZero();
        assertThat(table.seeders()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 16})
    void pickReturnsDistinctLiveEntriesOtherThanTheSkippedOneWithTheirIds(int addressLength) {
        PeerTable table = PeerTable.of(addressLength);
        Map<Endpoint, byte[]> ids = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            Endpoint key = endpoint(addressLength, i);
            int expiresAt = i < 10 ? 50 : 200; // the first ten are expired at time 100
            table.add(key.ip(), key.port(), TestPeer.id(i), expiresAt, false);
            ids.put(key, TestPeer.id(i));
        }
        Endpoint self = endpoint(addressLength, 20);
        int skip = table.find(self.ip(), self.port());
        int stride = table.stride();
        Set<Endpoint> seen = new HashSet<>();
        for (int round = 0; round < 200; round++) {
            byte[] out = new byte[8 * stride];
            byte[] idsOut = new byte[8 * PeerTable.ID_LENGTH];
            int got = table.pick(8, skip, 100, out, 0, idsOut, 0);
            assertThat(got).isEqualTo(8);
            Set<Endpoint> picked = new HashSet<>();
            List<Endpoint> endpoints = CompactPeers.endpoints(out, addressLength);
            for (int p = 0; p < got; p++) {
                Endpoint key = endpoints.get(p);
                assertThat(ids).containsKey(key);
                assertThat(key).isNotEqualTo(self);
                int entry = table.find(key.ip(), key.port());
                assertThat(table.expiresAt(entry)).as("expired entry returned").isGreaterThan(100);
                assertThat(Arrays.copyOfRange(idsOut, p * 20, p * 20 + 20)).isEqualTo(ids.get(key));
                picked.add(key);
            }
            assertThat(picked).hasSize(got);
            seen.addAll(picked);
        }
        assertThat(seen).as("every live peer but self is picked sometime").hasSize(29);

        byte[] all = new byte[40 * stride];
        assertThat(table.pick(40, skip, 100, all, 0, null, 0)).isEqualTo(29);
        assertThat(table.pick(0, skip, 100, all, 0, null, 0)).isZero();
    }

    private static void assertMatches(PeerTable table, Map<Endpoint, Expected> model) {
        assertThat(table.size()).isEqualTo(model.size());
        assertThat(table.seeders()).isEqualTo((int) model.values().stream().filter(Expected::seeder).count());
        int addressLength = table.stride() - 2;
        for (int entry = 0; entry < table.size(); entry++) {
            byte[] compact = new byte[table.stride()];
            table.copyCompact(entry, compact, 0);
            Endpoint key = CompactPeers.endpoints(compact, addressLength).get(0);
            Expected expected = model.get(key);
            assertThat(expected).as("entry %d is in the model", entry).isNotNull();
            assertThat(table.find(key.ip(), key.port())).isEqualTo(entry);
            byte[] id = new byte[20];
            table.copyId(entry, id, 0);
            assertThat(id).isEqualTo(expected.id());
            assertThat(table.expiresAt(entry)).isEqualTo(expected.expiresAt());
            assertThat(table.isSeeder(entry)).isEqualTo(expected.seeder());
        }
    }

    @Test
    void walkStepsAreCoprimeWithTheTableSize() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int n = 3; n < 5_000; n++) {
            for (int i = 0; i < 20; i++) {
                int step = PeerTable.coprimeStep(random, n);
                assertThat(step).as("step for %d", n).isBetween(1, n - 1);
                assertThat(BigInteger.valueOf(step).gcd(BigInteger.valueOf(n)).intValue()).as("gcd(%d, %d)", step, n)
                        .isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 16})
    void pickReturnsEveryOtherLivePeerWhenAllAreWanted(int addressLength) {
        PeerTable table = PeerTable.of(addressLength);
        for (int i = 0; i < 12; i++) {
            Endpoint e = endpoint(addressLength, i);
            table.add(e.ip(), e.port(), TestPeer.id(i), 200, false);
        }
        int stride = addressLength + 2;
        byte[] out = new byte[12 * stride];
        assertThat(table.pick(11, 3, 100, out, 0, null, 0)).isEqualTo(11);
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 11; i++) {
            picked.add(Arrays.toString(Arrays.copyOfRange(out, i * stride, (i + 1) * stride)));
        }
        byte[] self = new byte[stride];
        table.copyCompact(3, self, 0);
        assertThat(picked).hasSize(11).doesNotContain(Arrays.toString(self));
    }

    /** Distinct endpoints that share address prefixes and ports, so that probe runs collide and interleave. */
    private static Endpoint endpoint(int addressLength, int n) {
        byte[] ip = new byte[addressLength];
        ip[0] = 10;
        ip[addressLength - 1] = (byte) (n / 7);
        ip[addressLength - 2] = (byte) (n / 7 >>> 8);
        return new Endpoint(ip, 6881 + n % 7);
    }

    private static Endpoint randomEndpoint(Random random, int addressLength) {
        byte[] ip = new byte[addressLength];
        ip[0] = 10;
        ip[addressLength - 1] = (byte) random.nextInt(64);
        ip[addressLength - 2] = (byte) random.nextInt(64);
        return new Endpoint(ip, 6881 + random.nextInt(4));
    }
}
