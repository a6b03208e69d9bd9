package io.shoal.tracker.peers.memory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval, counting the ones held back, so that a flood of refused
 * announces does not become a flood of log lines.
 */
final class LogThrottle {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAllowed;
    private final LongAdder heldBack = new LongAdder();

    LogThrottle(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
    }

    /** Returns -1 when this event must not be logged, otherwise how many events were held back before it. */
    long permit() {
        long now = nanoTime.getAsLong();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return heldBack.sumThenReset();
        }
        heldBack.increment();
        return -1;
    }
}
