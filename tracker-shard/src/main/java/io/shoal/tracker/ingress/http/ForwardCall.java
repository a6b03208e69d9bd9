package io.shoal.tracker.ingress.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.shoal.tracker.ingress.Routes;
import io.shoal.tracker.protocol.ForwardedFor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One request on its way to a shard: the target, the attempt in progress, and the outcome. The outcome is decided
 * once, by whichever comes first of the answer, a failure and the deadline; {@link #promise} completing is that
 * decision, so every party checks it rather than holding a lock.
 */
final class ForwardCall {
    static final int MAX_ATTEMPTS = 2;

    final Routes routes;
    final int shard;
    final String uri;
    /** The client's address for {@code X-Forwarded-For}; null for the ingress's own requests. */
    final String client;
    final CompletableFuture<FullHttpResponse> promise = new CompletableFuture<>();

    volatile InetSocketAddress replica;
    /** The connection of the current attempt once it has one. */
    volatile Channel channel;
    /** When the current attempt's request went to its replica ({@link System#nanoTime}); valid while {@link #sent}. */
    volatile long sentNanos;
    volatile boolean sent;
    /** Attempts made; touched by one attempt at a time. */
    int attempts;
    ScheduledFuture<?> timer;

    ForwardCall(Routes routes, int shard, String uri, String client) {
        this.routes = routes;
        this.shard = shard;
        this.uri = uri;
        this.client = client;
    }

    FullHttpRequest request(String hostHeader) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.HOST, hostHeader);
        if (client != null) {
            // Set, not appended: the ingress is the edge, and whatever the client claimed is not passed on.
            r.headers().set(ForwardedFor.HEADER, client);
        }
        return r;
    }

    /** Hands {@code response} to the caller; false (and the caller keeps it) when the outcome was already decided. */
    boolean answer(FullHttpResponse response) {
        if (!promise.complete(response)) {
            return false;
        }
        InetSocketAddress r = replica;
        if (r != null) {
            routes.answered(shard, r);
        }
        return true;
    }

    void fail(ForwardException e) {
        promise.completeExceptionally(e);
    }

    /** The current attempt's request is on its way to the replica. */
    void sending() {
        sentNanos = System.nanoTime();
        sent = true;
    }

    /**
     * The deadline passed: the connection (whose answer can no longer be used) is closed, and the replica reported
     * if it had the request long enough to be blamed for the silence.
     */
    void timeout(long timeoutNanos) {
        if (promise.completeExceptionally(new ForwardException(ForwardException.Reason.TIMEOUT))) {
            InetSocketAddress r = replica;
            if (r != null && sent && replicaAtFault(sentNanos, System.nanoTime(), timeoutNanos)) {
                routes.failed(shard, r);
            }
            Channel c = channel;
            if (c != null) {
                c.close();
            }
        }
    }

    /**
     * Whether a call that timed out counts against its replica: only when the replica held the request for at least
     * half the forward timeout. Time spent waiting for one of the ingress's pooled connections is the ingress's own
     * congestion; blaming the replica for it would take a healthy shard out of rotation exactly when it is busiest
     * (every call queued behind a burst times out at once, "failures in a row").
     */
    static boolean replicaAtFault(long sentNanos, long nowNanos, long timeoutNanos) {
        return nowNanos - sentNanos >= timeoutNanos / 2;
    }
}
