package io.shoal.tracker.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ending the server processes that tests start, the same way for each of them. */
public final class Processes {
    private Processes() {
    }

    /**
     * Asks the process to stop (SIGTERM, so that it shuts down as in production) and kills it when it has not exited
     * within {@code grace}; then waits up to {@code grace} again for it to be gone.
     */
    public static void stop(Process process, Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
