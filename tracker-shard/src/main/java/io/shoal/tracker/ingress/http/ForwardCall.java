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

    /** The deadline passed: the replica is reported, and the connection (whose answer can no longer be used) closed. */
    void timeout() {
        if (promise.completeExceptionally(new ForwardException(ForwardException.Reason.TIMEOUT))) {
            InetSocketAddress r = replica;
            if (r != null) {
                routes.failed(shard, r);
            }
            Channel c = channel;
            if (c != null) {
                c.close();
            }
        }
    }
}
