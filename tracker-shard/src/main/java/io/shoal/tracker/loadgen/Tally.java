package io.shoal.tracker.loadgen;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counters of one phase (connect, warm-up or load). Single-threaded: only the generator's loop touches it. */
final class Tally {
    private final String name;
    long sent;
    long ok;
    long invalid;
    long errors;
    long timeouts;
    long late;
    long skipped;
    long connectsOk;
    long announcesOk;
    long scrapesOk;
    long firstSendNanos;
    long lastReplyNanos;
    private boolean started;
    private final long[] invalidByVerdict = new long[Verdict.values().length];
    private final LatencyHistogram latency = new LatencyHistogram();

    Tally(String name) {
        this.name = name;
    }

    void onSend(long now) {
        if (!started) {
            started = true;
            firstSendNanos = now;
            lastReplyNanos = now;
        }
        sent++;
    }

    /** One answered request; {@code latencyNanos} from its send to its reply. */
    void onVerdict(Verdict verdict, byte kind, long now, long latencyNanos) {
        lastReplyNanos = now;
        latency.recordNanos(latencyNanos);
        if (verdict == Verdict.OK) {
            ok++;
            switch (kind) {
                case PlannedRequest.CONNECT -> connectsOk++;
                case PlannedRequest.ANNOUNCE -> announcesOk++;
                case PlannedRequest.SCRAPE -> scrapesOk++;
                default -> throw new IllegalStateException("unknown request kind " + kind);
            }
        } else if (verdict == Verdict.TRACKER_ERROR) {
            errors++;
        } else {
            invalid(verdict);
        }
    }

    void invalid(Verdict verdict) {
        invalid++;
        invalidByVerdict[verdict.ordinal()]++;
    }

    PhaseResult result() {
        double seconds = started ? (lastReplyNanos - firstSendNanos) / 1e9 : 0;
        long answered = ok + invalid + errors;
        Map<String, Long> reasons = new LinkedHashMap<>();
        Verdict[] verdicts = Verdict.values();
        for (int i = 0; i < verdicts.length; i++) {
            if (invalidByVerdict[i] > 0) {
                reasons.put(verdicts[i].name(), invalidByVerdict[i]);
            }
        }
        return new PhaseResult(name, sent, ok, invalid, errors, timeouts, late, skipped, connectsOk, announcesOk,
                scrapesOk, seconds, seconds > 0 ? answered / seconds : 0, latency.percentileMicros(0.50),
                latency.percentileMicros(0.90), latency.percentileMicros(0.99), latency.percentileMicros(0.999),
                latency.maxMicros(), reasons);
    }
}
