package io.shoal.tracker.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard's sockets: public UDP (BEP 15) and HTTP on the same port number and, when configured, the internal
 * port where the ingress sends UDP with PROXY v2 headers and HTTP. On epoll every event loop
 * gets its own UDP socket bound with SO_REUSEPORT, so the kernel spreads datagrams over all cores; NIO has
 * one UDP socket. With port 0 (tests) UDP and HTTP each get an ephemeral port of their own.
 */
public final class ShardServer implements AutoCloseable {
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(ShardServer.class);

    private static final int BIND_ATTEMPTS = 5;
    private static final int UDP_SLOT_BYTES = 2048;
    private static final int RECV_BATCH = 16;

    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private final Transport transport;
    private volatile boolean bound;
    private int udpPort;
    private int httpPort;
    private int internalUdpPort;
    private int internalHttpPort;

    private ShardServer(EventLoopGroup group, Transport transport) {
        this.group = group;
        this.transport = transport;
    }

    /** The handlers of each listener; the internal ones are null when the shard has no internal port. */
    record Handlers(UdpTrackerHandler udp, HttpTracker http, HttpConnectionLimit connectionLimit,
                    ProxiedUdpHandler internalUdp, HttpConnectionLimit internalConnectionLimit) {
    }

    static ShardServer start(ShardConfig config, List<InetAddress> addresses, Transport transport, Handlers handlers)
            throws Exception {
        ShardServer server = new ShardServer(transport.newGroup(config.threads(), "shoal-io"), transport);
        try {
            server.bind(config, addresses, handlers);
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private void bind(ShardConfig config, List<InetAddress> addresses, Handlers handlers) throws Exception {
        Bootstrap udp = udpBootstrap(handlers.udp());
        ServerBootstrap http = httpBootstrap(config, handlers.http(), handlers.connectionLimit());
        Bootstrap internalUdp = null;
        ServerBootstrap internalHttp = null;
        if (config.hasInternalPort()) {
            internalUdp = udpBootstrap(handlers.internalUdp());
            internalHttp = httpBootstrap(config, handlers.http(), handlers.internalConnectionLimit());
        }
        int udpSockets = transport.epoll() ? config.threads() : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                bindAll(config.port(), addresses, udp, udpSockets, http);
                if (internalUdp != null) {
                    bindInternal(Math.max(0, config.internalPort()), addresses, internalUdp, udpSockets, internalHttp);
                }
                bound = true;
                LOG.info("Tracker listening on {} port {} (udp, {} socket{}) and {} (http), transport {}",
                        addresses, udpPort, udpSockets, udpSockets == 1 ? "" : "s", httpPort, transport.name());
                if (internalUdp != null) {
                    LOG.info("Internal port (PROXY v2 udp, http from the ingress): {} (udp) and {} (http)",
                            internalUdpPort, internalHttpPort);
                }
                return;
            } catch (Exception e) {
                closeChannels();
                // With an ephemeral port the first address may get a port that a later address cannot have.
                boolean ephemeral = config.port() == 0
                        || config.internalPort() == ShardConfig.EPHEMERAL_INTERNAL_PORT;
                if (!ephemeral || addresses.size() == 1 || attempt >= BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Bootstrap udpBootstrap(io.netty.channel.ChannelHandler handler) {
        Bootstrap udp = new Bootstrap()
                .group(group)
                .channel(transport.datagramChannel())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        // Replies written while reading a batch of datagrams go out with one flush.
                        ch.pipeline().addLast(new FlushConsolidationHandler(256, true), handler);
                    }
                });
        if (transport.epoll()) {
            udp.option(transport.reusePort(), true);
            // recvmmsg: one system call reads up to RECV_BATCH datagrams. Each slot holds more than MAX_DATAGRAM, so a
            // datagram over the limit still arrives longer than the limit (truncated) and is dropped by the handler.
            udp.option(transport.maxDatagramPayload(), UDP_SLOT_BYTES);
            udp.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_SLOT_BYTES * RECV_BATCH));
        }
        return udp;
    }

    private ServerBootstrap httpBootstrap(ShardConfig config, HttpTracker httpTracker,
                                          HttpConnectionLimit connectionLimit) {
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new HttpTrackerChannels(httpTracker, connectionLimit, config.httpIdleTimeout(),
                        config.httpRequestTimeout()));
    }

    private void bindAll(int port, List<InetAddress> addresses, Bootstrap udp, int udpSockets, ServerBootstrap http)
            throws InterruptedException {
        udpPort = port;
        httpPort = port;
        for (InetAddress address : addresses) {
            for (int i = 0; i < udpSockets; i++) {
                Channel ch = udp.bind(new InetSocketAddress(address, udpPort)).sync().channel();
                track(ch);
                udpPort = ((InetSocketAddress) ch.localAddress()).getPort();
            }
            Channel ch = http.bind(new InetSocketAddress(address, httpPort)).sync().channel();
            track(ch);
            httpPort = ((InetSocketAddress) ch.localAddress()).getPort();
        }
    }

    private void bindInternal(int port, List<InetAddress> addresses, Bootstrap udp, int udpSockets,
                              ServerBootstrap http) throws InterruptedException {
        internalUdpPort = port;
        internalHttpPort = port;
        for (InetAddress address : addresses) {
            for (int i = 0; i < udpSockets; i++) {
                Channel ch = udp.bind(new InetSocketAddress(address, internalUdpPort)).sync().channel();
                track(ch);
                internalUdpPort = ((InetSocketAddress) ch.localAddress()).getPort();
            }
            Channel ch = http.bind(new InetSocketAddress(address, internalHttpPort)).sync().channel();
            track(ch);
            internalHttpPort = ((InetSocketAddress) ch.localAddress()).getPort();
        }
    }

    private void track(Channel ch) {
        synchronized (channels) {
            channels.add(ch);
        }
    }

    public int udpPort() {
        return udpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The internal UDP port, 0 when there is none. */
    public int internalUdpPort() {
        return internalUdpPort;
    }

    /** The internal HTTP port, 0 when there is none. */
    public int internalHttpPort() {
        return internalHttpPort;
    }

    /** True while every socket is open. */
    public boolean isBound() {
        if (!bound) {
            return false;
        }
        synchronized (channels) {
            for (Channel ch : channels) {
                if (!ch.isOpen()) {
                    return false;
                }
            }
        }
        return true;
    }

    public Transport transport() {
        return transport;
    }

    private void closeChannels() {
        synchronized (channels) {
            for (Channel ch : channels) {
                ch.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
            }
            channels.clear();
        }
    }

    @Override
    public void close() {
        bound = false;
        closeChannels();
        // Bounded: stopping must never hang the process, whatever state the loops are in.
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    }
}
