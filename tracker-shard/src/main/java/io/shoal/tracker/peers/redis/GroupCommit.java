package io.shoal.tracker.peers.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Group commit of requests into script calls: a request goes out at once while fewer than {@code maxInFlight}
 * calls are on their way; otherwise it waits, and what waits goes together in the next call. No delay when Redis
 * is idle, and under load one EVALSHA, one command to encode and one reply to decode serve many requests.
 *
 * <p>Waiting is bounded like the connection's own queue: a request that finds {@code maxWaiting} requests
 * waiting, or that waited longer than {@code maxWaitNanos} (Redis overloaded: shed load rather than answer late),
 * fails with "peer store unavailable" instead of being sent; after a call failed for want of Redis, what waits
 * fails with it ({@link #failWaiting}).
 *
 * @param <R> a request
 */
final class GroupCommit<R extends GroupCommit.Request> {

    /** One request waiting for its call. */
    interface Request {
        /** System.nanoTime() when it was queued. */
        long queuedAt();

        /** Its weight against {@code maxBatchSize} (announces 1, scrapes their number of hashes). */
        int size();

        /** Completes it with a failure. */
        void fail(Throwable failure);
    }

    private final int maxInFlight;
    private final int maxBatchSize;
    private final int maxWaiting;
    private final long maxWaitNanos;
    private final Function<List<R>, CompletableFuture<?>> send;
    private final Queue<R> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param maxBatchSize a call takes requests while their sizes add up to less than this (so at most this plus
     *                     one request's size)
     * @param send         sends one batch; its future completes when the call answered (or failed)
     */
    GroupCommit(int maxInFlight, int maxBatchSize, int maxWaiting, long maxWaitNanos,
                Function<List<R>, CompletableFuture<?>> send) {
        this.maxInFlight = maxInFlight;
        this.maxBatchSize = maxBatchSize;
        this.maxWaiting = maxWaiting;
        this.maxWaitNanos = maxWaitNanos;
        this.send = send;
    }

    /** Queues a request and sends what waits if a call may go out; a full queue fails it at once. */
    void submit(R request) {
        if (waitingCount.incrementAndGet() > maxWaiting) {
            waitingCount.decrementAndGet();
            request.fail(Failures.unavailable());
            return;
        }
        waiting.add(request);
        sendWaiting();
    }

    /** After a call failed for want of Redis, what waits would only wait longer to fail the same way. */
    void failWaiting(Throwable failure) {
        R r;
        while ((r = poll()) != null) {
            r.fail(Failures.translate(failure));
        }
    }

    private R poll() {
        R r = waiting.poll();
        if (r != null) {
            waitingCount.decrementAndGet();
        }
        return r;
    }

    /** Sends what waits while fewer than maxInFlight calls are out; each finished call calls again. */
    private void sendWaiting() {
        while (!waiting.isEmpty()) {
            int n = inFlight.get();
            if (n >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(n, n + 1)) {
                continue;
            }
            List<R> batch = new ArrayList<>(8);
            long now = System.nanoTime();
            int size = 0;
            R r;
            while (size < maxBatchSize && (r = poll()) != null) {
                if (now - r.queuedAt() > maxWaitNanos) {
                    r.fail(Failures.unavailable());
                } else {
                    batch.add(r);
                    size += r.size();
                }
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            CompletableFuture<?> answered;
            try {
                answered = send.apply(batch);
            } catch (RuntimeException e) {
                batch.forEach(b -> b.fail(Failures.translate(e)));
                answered = CompletableFuture.completedFuture(null);
            }
            answered.whenComplete((x, e) -> {
                inFlight.decrementAndGet();
                sendWaiting();
            });
        }
    }
}
