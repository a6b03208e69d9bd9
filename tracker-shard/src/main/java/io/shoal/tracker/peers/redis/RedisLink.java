package io.shoal.tracker.peers.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The store's connections to one Redis and what it knows about their health. Two connections: one for
 * requests (announce, scrape; Lettuce pipelines every concurrent command on it) and one for background walks,
 * so that a walk's commands never queue in front of an announce.
 *
 * <p>Outage behaviour: commands are rejected at once while a connection is down (no buffering), every command
 * has a timeout, and the request queue is bounded. Readiness drops on a disconnect event or a failed PING and
 * returns after a PING succeeds and the scripts are loaded. Lost connections are re-established by Lettuce;
 * a store opened while Redis was down connects from the health check.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

    private final RedisURI uri;
    private final RedisStoreOptions options;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService scheduler;
    private final Supplier<CompletableFuture<Void>> onConnected;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile StatefulRedisConnection<byte[], byte[]> requests;
    private volatile StatefulRedisConnection<byte[], byte[]> background;
    private volatile RedisAsyncCommands<byte[], byte[]> requestCommands;
    private volatile RedisAsyncCommands<byte[], byte[]> backgroundCommands;
    private volatile boolean ready;
    private volatile boolean closed;
    private volatile long lastConnectFailureLog;

    /**
     * @param onConnected run after a (re)connection is seen healthy and before readiness is reported (loads scripts)
     */
    RedisLink(String redisUri, RedisStoreOptions options, ScheduledExecutorService scheduler,
              Supplier<CompletableFuture<Void>> onConnected) {
        this.uri = parse(redisUri, options);
        this.options = options;
        this.scheduler = scheduler;
        this.onConnected = onConnected;
        this.resources = DefaultClientResources.builder()
                // one connection is served by one event loop; two leave room for the walk connection
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(
                        Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        // commands written by many request threads in one event-loop turn go out in one syscall
                        channel.pipeline().addFirst(new FlushConsolidationHandler(
                                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                    }
                })
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(options.requestQueueSize())
                // replies come back in order; removing a timed-out command from the middle is rare
                .useHashIndexQueue(false)
                .timeoutOptions(TimeoutOptions.builder()
                        .timeoutCommands()
                        .timeoutSource(new DrawsUntimed(options.commandTimeout()))
                        .build())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(options.connectTimeout())
                        .keepAlive(true)
                        .tcpNoDelay(true)
                        .build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
                if (!closed) {
                    try {
                        scheduler.execute(RedisLink.this::check);
                    } catch (RejectedExecutionException closing) {
                        // the store is closing
                    }
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                ready = false;
            }
        });
    }

    /**
     * Every command times out after the command timeout except peer draws: a draw is written right behind its
     * announce script, which is timed and answers first, and nobody waits for a draw whose script failed; a timer
     * per draw would cost one scheduling and one cancellation per announce for nothing.
     */
    private static final class DrawsUntimed extends TimeoutOptions.TimeoutSource {
        private final long timeoutNanos;

        DrawsUntimed(Duration timeout) {
            this.timeoutNanos = timeout.toNanos();
        }

        @Override
        public long getTimeout(RedisCommand<?, ?, ?> command) {
            return command.getType() == CommandType.ZRANDMEMBER ? 0 : timeoutNanos;
        }

        @Override
        public TimeUnit getTimeUnit() {
            return TimeUnit.NANOSECONDS;
        }
    }

    static RedisURI parse(String redisUri, RedisStoreOptions options) {
        if (redisUri == null || !(redisUri.startsWith("redis://") || redisUri.startsWith("rediss://"))) {
            throw new IllegalArgumentException("Redis URI must look like redis://host:port[/db], got: " + redisUri);
        }
        RedisURI parsed = RedisURI.create(redisUri);
        parsed.setTimeout(options.commandTimeout());
        // no CLIENT SETINFO on connect: Redis before 7.2 rejects it, adding an error round trip to every handshake
        parsed.setLibraryName("");
        parsed.setLibraryVersion("");
        return parsed;
    }

    /** Connects now, waiting at most about the connect timeout; on failure the health check keeps trying. */
    void connectNow() {
        try {
            connect();
            onConnected.get().get(options.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            ready = true;
        } catch (Exception e) {
            logConnectFailure(e);
        }
    }

    /** Commands for request traffic, or null while no connection was ever made. */
    RedisAsyncCommands<byte[], byte[]> requests() {
        return requestCommands;
    }

    /** Commands for background walks, or null while no connection was ever made. */
    RedisAsyncCommands<byte[], byte[]> background() {
        return backgroundCommands;
    }

    boolean isReady() {
        return ready && !closed;
    }

    /** Periodic and event-driven health check: connect if never connected, else PING. Never blocks the caller. */
    void check() {
        if (closed || !checking.compareAndSet(false, true)) {
            return;
        }
        if (requestCommands == null || backgroundCommands == null) {
            try {
                connect();
            } catch (Exception e) {
                ready = false;
                logConnectFailure(e);
                checking.set(false);
                return;
            }
        }
        boolean wasReady = ready;
        CompletableFuture<String> pong;
        try {
            pong = requestCommands.ping().toCompletableFuture();
        } catch (RuntimeException e) {
            // never leave 'checking' set: that would end the health checks, and with them the recovery
            pong = CompletableFuture.failedFuture(e);
        }
        pong.thenCompose(reply -> wasReady ? CompletableFuture.<Void>completedFuture(null) : onConnected.get())
                .whenComplete((ok, err) -> {
                    boolean nowReady = err == null && !closed;
                    if (nowReady != ready) {
                        if (nowReady) {
                            LOG.info("Redis {} is reachable again", uri.getHost() + ":" + uri.getPort());
                        } else {
                            LOG.warn("Redis {} is unreachable: {}", uri.getHost() + ":" + uri.getPort(),
                                    Failures.unwrap(err).toString());
                        }
                    }
                    ready = nowReady;
                    checking.set(false);
                });
    }

    private synchronized void connect() {
        if (requests == null) {
            StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE, uri);
            requests = c;
            requestCommands = c.async();
        }
        if (background == null) {
            StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE, uri);
            background = c;
            backgroundCommands = c.async();
        }
    }

    private void logConnectFailure(Exception e) {
        long now = System.nanoTime();
        // a down Redis is checked every second: say so every half minute, not every second
        if (now - lastConnectFailureLog > TimeUnit.SECONDS.toNanos(30) || lastConnectFailureLog == 0) {
            lastConnectFailureLog = now;
            LOG.warn("cannot connect to Redis {}: {}", uri.getHost() + ":" + uri.getPort(),
                    Failures.unwrap(e).toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        ready = false;
        synchronized (this) {
            closeQuietly(requests);
            closeQuietly(background);
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static void closeQuietly(StatefulRedisConnection<?, ?> c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a Redis connection", e);
            }
        }
    }
}
