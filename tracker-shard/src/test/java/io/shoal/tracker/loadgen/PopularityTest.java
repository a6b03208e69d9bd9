package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PopularityTest {

    @Test
    void zipfDrawsTheTopRankAsOftenAsItsWeightSays() {
        Popularity p = new Popularity(1000, 1.0, 4);
        SplittableRandom rng = new SplittableRandom(1);
        int[] hits = new int[1000];
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            hits[p.next(rng)]++;
        }
        double harmonic = 0;
        for (int r = 1; r <= 1000; r++) {
            harmonic += 1.0 / r;
        }
        assertThat(p.share(0)).isCloseTo(1 / harmonic, within(1e-9));
        assertThat(hits[p.torrentOfRank(0)] / (double) draws).isCloseTo(1 / harmonic, within(0.01));
        assertThat(hits[p.torrentOfRank(1)] / (double) draws).isCloseTo(0.5 / harmonic, within(0.01));
        assertThat(hits[p.torrentOfRank(0)]).isGreaterThan(50 * hits[p.torrentOfRank(999)] + 1);
    }

    @Test
    void exponentZeroIsUniformAndRanksAreAPermutation() {
        Popularity uniform = new Popularity(10, 0, 1);
        assertThat(uniform.isUniform()).isTrue();
        assertThat(uniform.share(3)).isEqualTo(0.1);
        Popularity zipf = new Popularity(50, 1.2, 9);
        boolean[] seen = new boolean[50];
        for (int r = 0; r < 50; r++) {
            seen[zipf.torrentOfRank(r)] = true;
        }
        for (boolean s : seen) {
            assertThat(s).isTrue();
        }
        assertThatThrownBy(() -> new Popularity(10, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Popularity(10, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSkewedMixStillScrapesDistinctTorrents() {
        Workload world = new Workload(3, 100, 20, 5, 20000);
        TrafficMix mix = new TrafficMix(world, 3, 0, 10, new Popularity(20, 3.0, 3));
        PlannedRequest r = new PlannedRequest(10);
        for (int i = 0; i < 200; i++) {
            mix.nextLoad(r);
            assertThat(java.util.Arrays.stream(r.hashes, 0, r.hashCount).distinct().count()).isEqualTo(10);
        }
    }
}
