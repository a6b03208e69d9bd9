package io.shoal.tracker.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One daemon thread running a process's periodic jobs (expiry, file polls, re-resolving); closed with it. */
public final class PeriodicJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicJobs.class);

    private final ScheduledExecutorService scheduler;

    public PeriodicJobs(String threadName) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code job} every {@code period}, the first time one period from now. */
    public void every(Duration period, Runnable job) {
        long ms = period.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                // A failing run must not cancel the schedule.
                LOG.warn("Periodic job failed", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The thread itself, for work that schedules its own runs. */
    public ScheduledExecutorService executor() {
        return scheduler;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
