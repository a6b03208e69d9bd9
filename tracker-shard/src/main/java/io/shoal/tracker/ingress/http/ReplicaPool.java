package io.shoal.tracker.ingress.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to one shard replica, bounded in number and in requests waiting for one (Netty's
 * {@link FixedChannelPool}). Each connection carries one request at a time; its {@link ReplyHandler} gives it back.
 */
final class ReplicaPool extends AbstractChannelPoolHandler {
    private static final int MAX_STATUS_LINE = 4096;
    private static final int MAX_HEADER_BYTES = 8192;

    final InetSocketAddress address;
    final String hostHeader;
    private final ShardClient client;
    private final HttpIngressSettings settings;
    private final FixedChannelPool pool;

    ReplicaPool(Bootstrap base, InetSocketAddress address, ShardClient client, HttpIngressSettings settings) {
        this.address = address;
        this.client = client;
        this.settings = settings;
        String host = address.getHostString();
        this.hostHeader = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
        this.pool = new FixedChannelPool(base.clone().remoteAddress(address), this, ChannelHealthChecker.ACTIVE,
                null, -1, settings.maxConnectionsPerReplica(), settings.maxPendingPerReplica(), true, true);
    }

    @Override
    public void channelCreated(Channel ch) {
        long idleMillis = settings.replicaIdleTimeout().toMillis();
        ch.pipeline().addLast(
                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS) {
                    @Override
                    protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                                               io.netty.handler.timeout.IdleStateEvent evt) {
                        ctx.close();
                    }
                },
                new HttpClientCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_STATUS_LINE)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)
                        .setMaxChunkSize(MAX_HEADER_BYTES), false, false),
                new HttpObjectAggregator(settings.maxResponseBytes()),
                new ReplyHandler(this, client));
    }

    Future<Channel> acquire() {
        return pool.acquire();
    }

    void release(Channel ch) {
        pool.release(ch);
    }

    void closeAsync() {
        pool.closeAsync();
    }
}
