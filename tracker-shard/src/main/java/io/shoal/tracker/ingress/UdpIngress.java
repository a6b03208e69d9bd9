package io.shoal.tracker.ingress;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.shoal.tracker.protocol.ConnectionIds;
import io.shoal.tracker.server.Transport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's UDP side: public BEP 15 sockets and, per event loop, an upstream socket to the shards' internal
 * ports (see {@link UdpIngressLoop}). On epoll every loop gets its own public socket per address, bound with
 * SO_REUSEPORT, so the kernel spreads clients over the loops as on a shard; NIO has one public socket per address.
 */
public final class UdpIngress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpIngress.class);
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final int UDP_SLOT_BYTES = 2048;
    private static final int RECV_BATCH = 16;
    private static final int BIND_ATTEMPTS = 5;

    private final List<Channel> channels = new ArrayList<>();
    private final List<UdpIngressLoop> loops = new ArrayList<>();
    private final List<ScheduledFuture<?>> sweeps = new ArrayList<>();
    private int port;

    private UdpIngress() {
    }

    /**
     * Binds the public sockets on {@code binds} (all with the same port; port 0 picks one free port for all) and
     * one upstream socket per event loop of {@code group}, which the caller owns and shuts down after close.
     */
    public static UdpIngress start(UdpIngressSettings settings, Transport transport, EventLoopGroup group,
                                   List<InetSocketAddress> binds, Supplier<Routes> routes, IngressMetrics metrics)
            throws Exception {
        UdpIngress ingress = new UdpIngress();
        try {
            ingress.bind(settings, transport, group, binds, routes, metrics);
            return ingress;
        } catch (Exception | Error e) {
            ingress.close();
            throw e;
        }
    }

    private void bind(UdpIngressSettings settings, Transport transport, EventLoopGroup group,
                      List<InetSocketAddress> binds, Supplier<Routes> routes, IngressMetrics metrics)
            throws Exception {
        ConnectionIds ids = new ConnectionIds(settings.connectionIdKey(), settings.connectionIdGrace());
        List<EventLoop> eventLoops = new ArrayList<>();
        for (EventExecutor e : group) {
            eventLoops.add((EventLoop) e);
        }
        // NIO has one public socket per address, so only the first loop would ever forward.
        int used = transport.epoll() ? eventLoops.size() : 1;
        int perLoop = Math.max(1, (settings.maxPending() + used - 1) / used);
        long tickMillis = Math.max(10, Math.min(100, settings.forwardTimeout().toMillis() / 10));
        InetAddress wildcard = upstreamWildcard();
        for (int i = 0; i < used; i++) {
            EventLoop loop = eventLoops.get(i);
            UdpIngressLoop state = new UdpIngressLoop(routes, ids, metrics, () -> System.currentTimeMillis() / 1000,
                    settings.forwardTimeout().toNanos(), perLoop);
            Channel up = udpBootstrap(transport, loop, state.upstreamHandler, false)
                    .bind(new InetSocketAddress(wildcard, 0)).sync().channel();
            track(up);
            state.upstream(up);
            loops.add(state);
            sweeps.add(loop.scheduleAtFixedRate(state::expire, tickMillis, tickMillis, TimeUnit.MILLISECONDS));
        }
        for (int attempt = 1; ; attempt++) {
            List<Channel> bound = new ArrayList<>();
            try {
                bindPublic(transport, eventLoops, binds, bound);
                synchronized (channels) {
                    channels.addAll(bound);
                }
                LOG.info("Ingress UDP on {} port {} ({} socket{} per address), transport {}, forward timeout {} ms",
                        binds.stream().map(InetSocketAddress::getAddress).toList(), port, used,
                        used == 1 ? "" : "s", transport.name(), settings.forwardTimeout().toMillis());
                return;
            } catch (Exception e) {
                for (Channel ch : bound) {
                    ch.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
                }
                boolean ephemeral = binds.get(0).getPort() == 0;
                if (!ephemeral || binds.size() == 1 || attempt >= BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void bindPublic(Transport transport, List<EventLoop> eventLoops, List<InetSocketAddress> binds,
                            List<Channel> bound) throws InterruptedException {
        port = binds.get(0).getPort();
        for (InetSocketAddress bind : binds) {
            for (int i = 0; i < loops.size(); i++) {
                UdpIngressLoop state = loops.get(i);
                Channel ch = udpBootstrap(transport, eventLoops.get(i), state.publicHandler, true)
                        .bind(new InetSocketAddress(bind.getAddress(), port)).sync().channel();
                bound.add(ch);
                // Registered with its loop before any datagram can be read on it.
                ch.eventLoop().submit(() -> state.addPublic(ch)).sync();
                port = ((InetSocketAddress) ch.localAddress()).getPort();
            }
        }
    }

    private static Bootstrap udpBootstrap(Transport transport, EventLoop loop, ChannelHandler handler,
                                          boolean reusePort) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.datagramChannel())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(handler);
                    }
                });
        if (transport.epoll()) {
            if (reusePort) {
                b.option(transport.reusePort(), true);
            }
            // recvmmsg, as on the shard: many datagrams per system call.
            b.option(transport.maxDatagramPayload(), UDP_SLOT_BYTES);
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_SLOT_BYTES * RECV_BATCH));
        }
        return b;
    }

    /** The dual-stack wildcard where IPv6 works (so one socket reaches shards of both families), else IPv4's. */
    private static InetAddress upstreamWildcard() throws UnknownHostException {
        InetAddress v6 = InetAddress.getByName("::");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            return v6;
        } catch (SocketException e) {
            return InetAddress.getByName("0.0.0.0");
        }
    }

    private void track(Channel ch) {
        synchronized (channels) {
            channels.add(ch);
        }
    }

    public int port() {
        return port;
    }

    /** Requests waiting for a shard's answer, over all loops (read racily; for metrics and tests). */
    public int inFlight() {
        int n = 0;
        for (UdpIngressLoop l : loops) {
            n += l.inFlight();
        }
        return n;
    }

    /** The local ports of the upstream sockets (for tests that play a forging shard). */
    List<Integer> upstreamPorts() {
        List<Integer> out = new ArrayList<>();
        for (UdpIngressLoop l : loops) {
            out.add(l.upstreamPort());
        }
        return out;
    }

    public boolean isBound() {
        synchronized (channels) {
            if (channels.isEmpty()) {
                return false;
            }
            for (Channel ch : channels) {
                if (!ch.isOpen()) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (ScheduledFuture<?> s : sweeps) {
            s.cancel(false);
        }
        synchronized (channels) {
            for (Channel ch : channels) {
                ch.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
            }
            channels.clear();
        }
    }

    /** Default forward timeout; see the ingress command's help for why. */
    public static final Duration DEFAULT_FORWARD_TIMEOUT = Duration.ofSeconds(2);
}
