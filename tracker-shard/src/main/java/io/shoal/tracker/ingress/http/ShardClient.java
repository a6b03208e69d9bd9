package io.shoal.tracker.ingress.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.concurrent.Future;
import io.shoal.tracker.ingress.Routes;
import io.shoal.tracker.server.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends requests to shards over pooled keep-alive connections, one {@link ReplicaPool} per replica address. A call
 * is answered, or fails, within the forward timeout. A replica that cannot be reached, or does not answer in time, is
 * reported to the routes (not for time the call spent waiting for a pooled connection: see
 * {@link ForwardCall#replicaAtFault}); a call whose connection could not be made, or broke before an answer, is tried once more on
 * the replica the routes pick next, within the same deadline.
 */
final class ShardClient implements AutoCloseable {
    private final HttpIngressSettings settings;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final long timeoutNanos;
    private final ConcurrentHashMap<InetSocketAddress, ReplicaPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ShardClient(HttpIngressSettings settings, Transport transport, EventLoopGroup group) {
        this.settings = settings;
        this.group = group;
        this.timeoutNanos = settings.forwardTimeout().toNanos();
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.forwardTimeout().toMillis())));
    }

    /**
     * Sends {@code GET uri} to a replica of {@code shard}. The future's response is the caller's to release; it fails
     * with a {@link ForwardException}.
     *
     * @param client the client's address for {@code X-Forwarded-For}, or null for the ingress's own requests
     */
    CompletableFuture<FullHttpResponse> send(Routes routes, int shard, String uri, String client) {
        ForwardCall call = new ForwardCall(routes, shard, uri, client);
        call.timer = group.next().schedule(() -> call.timeout(timeoutNanos), timeoutNanos, TimeUnit.NANOSECONDS);
        call.promise.whenComplete((r, e) -> call.timer.cancel(false));
        attempt(call);
        return call.promise;
    }

    /** The current attempt of {@code call} failed with {@code why}: try again if allowed, else fail it. */
    void retry(ForwardCall call, ForwardException why) {
        if (call.promise.isDone()) {
            return;
        }
        if (call.attempts >= ForwardCall.MAX_ATTEMPTS || closed) {
            call.fail(why);
            return;
        }
        attempt(call);
    }

    private void attempt(ForwardCall call) {
        call.attempts++;
        call.channel = null;
        call.sent = false;
        InetSocketAddress replica = call.routes.pick(call.shard);
        if (replica == null) {
            call.fail(new ForwardException(ForwardException.Reason.NO_REPLICA));
            return;
        }
        call.replica = replica;
        ReplicaPool pool = pools.computeIfAbsent(replica, a -> new ReplicaPool(bootstrap, a, this, settings));
        pool.acquire().addListener((Future<Channel> f) -> {
            if (f.isSuccess()) {
                Channel ch = f.getNow();
                ch.eventLoop().execute(() -> ch.pipeline().get(ReplyHandler.class).start(call));
            } else if (f.cause() instanceof IOException) {
                // Includes connection refused and connect timeouts: the replica is the problem.
                call.routes.failed(call.shard, replica);
                retry(call, new ForwardException(ForwardException.Reason.UNREACHABLE));
            } else {
                // The pool's queue is full (or the pool was closed as its replica left the routes).
                retry(call, new ForwardException(ForwardException.Reason.OVERLOADED));
            }
        });
    }

    /** Closes the pools of replicas no longer routed to. */
    void keepOnly(Set<InetSocketAddress> replicas) {
        pools.entrySet().removeIf(e -> {
            if (replicas.contains(e.getKey())) {
                return false;
            }
            e.getValue().closeAsync();
            return true;
        });
    }

    int poolCount() {
        return pools.size();
    }

    @Override
    public void close() {
        closed = true;
        pools.values().forEach(ReplicaPool::closeAsync);
        pools.clear();
    }
}
