package io.shoal.tracker.server;

import java.time.Duration;

/**
 * At most {@code permits} requests per {@code period} for one client.
 *
 * @param permits requests allowed in one period; at least 1
 * @param period  length of the period; positive
 */
public record RateLimit(int permits, Duration period) {

    public RateLimit {
        if (permits < 1) {
            throw new IllegalArgumentException("a rate needs at least 1 request per period");
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a rate's period must be positive");
        }
    }

    @Override
    public String toString() {
        return permits + "/" + Durations.format(period);
    }
}
