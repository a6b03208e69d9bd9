package io.shoal.tracker.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations port: health, readiness, Prometheus metrics and a JSON summary. It runs on an event loop
 * of its own so that probes and scrapes are answered even while the tracker's loops are saturated.
 */
public final class AdminServer implements AutoCloseable {
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private int port;

    private AdminServer(EventLoopGroup group) {
        this.group = group;
    }

    /** Serves {@code pages} on every address at {@code port} (0: a free one) on an event loop of its own. */
    public static AdminServer start(List<InetAddress> addresses, int port, Transport transport, AdminPages pages)
            throws Exception {
        AdminHandler handler = new AdminHandler(pages);
        AdminServer server = new AdminServer(transport.newGroup(1, "shoal-admin"));
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(server.group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    HttpConnections.idleCloser(TimeUnit.SECONDS.toMillis(60)),
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(0),
                                    handler);
                        }
                    });
            server.port = port;
            for (InetAddress a : addresses) {
                Channel ch = b.bind(new InetSocketAddress(a, server.port)).sync().channel();
                server.channels.add(ch);
                server.port = ((InetSocketAddress) ch.localAddress()).getPort();
            }
            LOG.info("Admin endpoints on {} port {}: /healthz /readyz /metrics /stats", addresses, server.port);
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
        }
        // Bounded: stopping must never hang the process, whatever state the loops are in.
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    }
}
