package io.shoal.tracker.peers.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    @Test
    void letsOneEventThroughPerIntervalAndCountsTheRest() {
        AtomicLong nanos = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10), nanos::get);

        assertThat(throttle.permit()).isZero();
        for (int i = 0; i < 1_000; i++) {
            assertThat(throttle.permit()).isEqualTo(-1);
        }
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(throttle.permit()).isEqualTo(-1);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(throttle.permit()).isEqualTo(1_001);
        assertThat(throttle.permit()).isEqualTo(-1);
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(throttle.permit()).isEqualTo(1);
    }
}
