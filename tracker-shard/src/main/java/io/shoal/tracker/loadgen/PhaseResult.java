package io.shoal.tracker.loadgen;

import java.util.Map;

/**
 * What one phase did. {@code sent} counts every request put on the wire; each ends as exactly one of ok, invalid,
 * errors (BEP 15 error replies and ICMP unreachable) or timeouts; invalid also counts replies that match no request.
 * {@code late} counts replies that came after their request timed out; {@code skipped} counts drawn requests not
 * sent because their client had no connection id. Connects that renew ids during later phases are booked on the
 * connect phase. Latencies (send to reply, in microseconds) are of the answered requests.
 */
public record PhaseResult(String name, long sent, long ok, long invalid, long errors, long timeouts, long late,
                          long skipped, long connectsOk, long announcesOk, long scrapesOk, double seconds,
                          double requestsPerSecond, long p50Micros, long p90Micros, long p99Micros,
                          long p999Micros, long maxMicros, Map<String, Long> invalidReasons) {

    public PhaseResult {
        invalidReasons = Map.copyOf(invalidReasons);
    }

    String line() {
        return String.format(java.util.Locale.ROOT,
                "%-8s sent=%d ok=%d (announce=%d scrape=%d connect=%d) invalid=%d errors=%d timeouts=%d late=%d"
                        + " skipped=%d"
                        + " %.2fs %.0f req/s latency µs p50=%d p90=%d p99=%d p999=%d max=%d%s",
                name, sent, ok, announcesOk, scrapesOk, connectsOk, invalid, errors, timeouts, late, skipped, seconds,
                requestsPerSecond, p50Micros, p90Micros, p99Micros, p999Micros, maxMicros, invalidReasons.isEmpty() ? "" : " invalid reasons " + invalidReasons);
    }
}
