package io.shoal.tracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private ClientRateLimiter limiter(int permits, int maxClients) {
        return new ClientRateLimiter(new RateLimit(permits, Duration.ofSeconds(10)), maxClients, now::get);
    }

    private static byte[] v4(int last) {
        return new byte[] {10, 0, 0, (byte) last};
    }

    private static byte[] v6(int prefixByte, int last) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[7] = (byte) prefixByte;
        a[15] = (byte) last;
        return a;
    }

    @Test
    void allowsPermitsPerPeriodPerClient() {
        ClientRateLimiter l = limiter(2, 100);
        assertThat(l.tryAcquire(v4(1))).isTrue();
        assertThat(l.tryAcquire(v4(1))).isTrue();
        assertThat(l.tryAcquire(v4(1))).isFalse();
        assertThat(l.tryAcquire(v4(2))).as("another client has its own allowance").isTrue();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(l.tryAcquire(v4(1))).as("a new period").isTrue();
    }

    @Test
    void ipv6ClientsCountPerSlash64() {
        ClientRateLimiter l = limiter(1, 100);
        assertThat(l.tryAcquire(v6(1, 1))).isTrue();
        assertThat(l.tryAcquire(v6(1, 2))).as("same /64").isFalse();
        assertThat(l.tryAcquire(v6(2, 1))).as("another /64").isTrue();
    }

    @Test
    void tracksAtMostMaxClientsAndFreesEndedWindows() {
        ClientRateLimiter l = limiter(1, 3);
        assertThat(l.tryAcquire(v4(1))).isTrue();
        assertThat(l.tryAcquire(v4(2))).isTrue();
        assertThat(l.tryAcquire(v4(3))).isTrue();
        assertThat(l.tryAcquire(v4(4))).as("table full: fail closed").isFalse();
        assertThat(l.trackedClients()).isEqualTo(3);
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(l.tryAcquire(v4(4))).as("ended windows are swept").isTrue();
        assertThat(l.trackedClients()).isEqualTo(1);
    }
}
