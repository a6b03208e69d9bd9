package io.shoal.tracker.loadgen;

import java.util.List;

/** Brackets the measured phase with readings of the target processes' CPU; does nothing without pids. */
final class TargetMeter {
    private final ProcessCpu cpu;
    private double startSeconds;

    TargetMeter(List<Long> pids) {
        this.cpu = pids.isEmpty() ? null : new ProcessCpu(pids);
    }

    void start() {
        if (cpu != null) {
            startSeconds = cpu.cpuSeconds();
        }
    }

    /** The usage since {@link #start}, or null without pids. */
    TargetUsage stop(long replies, double wallSeconds) {
        if (cpu == null) {
            return null;
        }
        double used = cpu.cpuSeconds() - startSeconds;
        return new TargetUsage(cpu.pids(), used, used > 0 ? replies / used : 0, cpu.rssKiB());
    }
}
