package io.shoal.tracker.loadgen;

import java.util.List;

/**
 * The outcome of one run: per-phase counts plus what the validator saw across all replies, and (when pids were
 * given) what the measured phase cost the target processes; {@code usage} is null otherwise.
 */
public record LoadReport(String target, long seed, PhaseResult connect, PhaseResult warmup, PhaseResult load,
                         boolean warmupComplete, long peersReceived, long selfPeersSeen, long networkErrors,
                         List<String> errorSamples, List<String> invalidSamples, TargetUsage usage) {

    public LoadReport {
        errorSamples = List.copyOf(errorSamples);
        invalidSamples = List.copyOf(invalidSamples);
    }

    public long totalSent() {
        return connect.sent() + warmup.sent() + load.sent();
    }

    public long totalInvalid() {
        return connect.invalid() + warmup.invalid() + load.invalid();
    }

    public long totalErrors() {
        return connect.errors() + warmup.errors() + load.errors() + networkErrors;
    }

    public long totalTimeouts() {
        return connect.timeouts() + warmup.timeouts() + load.timeouts();
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("loadgen target ").append(target).append(" seed ").append(seed).append('\n');
        out.append(connect.line()).append('\n');
        out.append(warmup.line()).append(warmupComplete ? "" : " (INCOMPLETE)").append('\n');
        out.append(load.line()).append('\n');
        out.append("peers received ").append(peersReceived).append(", announcer returned to itself ")
                .append(selfPeersSeen).append(", network errors ").append(networkErrors).append('\n');
        if (usage != null) {
            out.append(usage.line()).append('\n');
        }
        for (String s : errorSamples) {
            out.append("error reply: ").append(s).append('\n');
        }
        for (String s : invalidSamples) {
            out.append("invalid reply: ").append(s).append('\n');
        }
        out.append(String.format(java.util.Locale.ROOT,
                "TOTAL sent=%d invalid=%d errors=%d timeouts=%d load=%.0f req/s%n",
                totalSent(), totalInvalid(), totalErrors(), totalTimeouts(), load.requestsPerSecond()));
        return out.toString();
    }
}
