package io.shoal.tracker.loadgen;

import java.util.List;

/**
 * What the measured phase cost the processes under test: CPU seconds (user + system, all threads, summed over the
 * pids), replies per CPU-second, and resident memory at the end.
 */
public record TargetUsage(List<Long> pids, double cpuSeconds, double repliesPerCpuSecond, long rssKiB) {

    public TargetUsage {
        pids = List.copyOf(pids);
    }

    String line() {
        return String.format(java.util.Locale.ROOT, "target pids %s: cpu %.2fs, %.0f replies per CPU-second, RSS %d MiB",
                pids, cpuSeconds, repliesPerCpuSecond, rssKiB / 1024);
    }
}
