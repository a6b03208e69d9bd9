package io.shoal.tracker.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of the processes under test, read from Linux's /proc. The CPU is what the kernel
 * charged the whole process (every thread, user plus system), so a tracker's replies per CPU-second include its
 * GC, JIT and kernel networking work, as opentracker's do.
 */
final class ProcessCpu {
    /**
     * The unit of utime and stime in /proc/PID/stat: USER_HZ, which the kernel's ABI fixes at 100 on every
     * architecture Linux runs Java on (sysconf(_SC_CLK_TCK) answers the same).
     */
    static final int USER_HZ = 100;

    private final List<Long> pids;

    ProcessCpu(List<Long> pids) {
        this.pids = List.copyOf(pids);
        for (long pid : pids) {
            if (!Files.isReadable(statPath(pid))) {
                throw new IllegalArgumentException("no process " + pid + " to measure (" + statPath(pid) + ")");
            }
        }
    }

    boolean isEmpty() {
        return pids.isEmpty();
    }

    List<Long> pids() {
        return pids;
    }

    /** utime + stime of all the processes, in seconds. */
    double cpuSeconds() {
        long ticks = 0;
        for (long pid : pids) {
            ticks += ticks(read(statPath(pid)));
        }
        return ticks / (double) USER_HZ;
    }

    /** VmRSS of all the processes, in KiB. */
    long rssKiB() {
        long total = 0;
        for (long pid : pids) {
            total += statusKiB(read(Path.of("/proc", Long.toString(pid), "status")), "VmRSS:");
        }
        return total;
    }

    /** Fields 14 and 15 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
    static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long statusKiB(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split(" +")[0]);
            }
        }
        return 0;
    }

    private static Path statPath(long pid) {
        return Path.of("/proc", Long.toString(pid), "stat");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("process under test is gone: " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
