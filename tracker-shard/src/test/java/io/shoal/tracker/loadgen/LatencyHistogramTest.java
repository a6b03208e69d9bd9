package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesOfAUniformSpreadAreWithinTheBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100_000; v++) {
            h.record(v);
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat((double) h.percentileMicros(0.50)).isCloseTo(50_000, within(50_000 * 0.02));
        assertThat((double) h.percentileMicros(0.99)).isCloseTo(99_000, within(99_000 * 0.02));
        assertThat(h.percentileMicros(1.0)).isEqualTo(100_000);
        assertThat(h.maxMicros()).isEqualTo(100_000);
    }

    @Test
    void smallValuesAreExactAndBucketsCoverEveryValueOnce() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(3);
        h.record(3);
        h.record(7);
        assertThat(h.percentileMicros(0.5)).isEqualTo(3);
        assertThat(h.percentileMicros(0.999)).isEqualTo(7);
        for (long v = 0; v < 1_000_000; v += 37) {
            int b = LatencyHistogram.bucket(v);
            assertThat(LatencyHistogram.upperBound(b)).isGreaterThanOrEqualTo(v);
            assertThat(b == 0 || LatencyHistogram.upperBound(b - 1) < v).isTrue();
        }
    }

    @Test
    void anEmptyHistogramReportsZero() {
        assertThat(new LatencyHistogram().percentileMicros(0.99)).isZero();
    }
}
