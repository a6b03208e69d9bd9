package io.shoal.tracker.loadgen;

/**
 * Reply latencies in a fixed log-linear histogram: 64 linear sub-buckets per power of two of microseconds, so any
 * recorded value is reported within about 1.6 % and recording is an array increment (no allocation on the hot
 * path). Values from 0 to about 2^38 µs are held; larger ones land in the last bucket.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAGNITUDES = 32;

    private final long[] counts = new long[(MAGNITUDES + 1) * SUB];
    private long total;
    private long max;

    void recordNanos(long nanos) {
        record(Math.max(0, nanos / 1000));
    }

    void record(long micros) {
        counts[bucket(micros)]++;
        total++;
        if (micros > max) {
            max = micros;
        }
    }

    long count() {
        return total;
    }

    long maxMicros() {
        return max;
    }

    /** The smallest recorded upper bound below which {@code quantile} of the values lie, in microseconds. */
    long percentileMicros(double quantile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(upperBound(b), max);
            }
        }
        return max;
    }

    static int bucket(long micros) {
        if (micros < SUB) {
            return (int) micros;
        }
        // values in [2^k, 2^(k+1)) for k >= SUB_BITS share magnitude k - SUB_BITS + 1, in SUB steps of 2^(k - SUB_BITS)
        int magnitude = 63 - Long.numberOfLeadingZeros(micros) - SUB_BITS + 1;
        if (magnitude > MAGNITUDES) {
            return (MAGNITUDES + 1) * SUB - 1;
        }
        int sub = (int) (micros >>> (magnitude - 1)) - SUB;
        return magnitude * SUB + sub;
    }

    /** The largest value that falls into bucket {@code b}. */
    static long upperBound(int b) {
        int magnitude = b / SUB;
        int sub = b % SUB;
        if (magnitude == 0) {
            return sub;
        }
        return ((long) (SUB + sub + 1) << (magnitude - 1)) - 1;
    }
}
