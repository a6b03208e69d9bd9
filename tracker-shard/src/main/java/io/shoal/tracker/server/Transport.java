package io.shoal.tracker.server;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport in use. Epoll (Linux) gives SO_REUSEPORT, so several UDP sockets on one port spread
 * datagrams over all event loops; NIO runs everywhere else with a single UDP socket.
 *
 * <p>The epoll classes ship in a runtime-scoped artifact (the native jar), so they are looked up by name
 * here, the only place that needs them; everything else sees this record.
 *
 * @param reusePort          SO_REUSEPORT where the transport has it, else null
 * @param maxDatagramPayload epoll's option that turns on recvmmsg (many datagrams per system call), else null
 */
public record Transport(
        String name,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends DatagramChannel> datagramChannel,
        Class<? extends ServerChannel> serverChannel,
        ChannelOption<Boolean> reusePort,
        ChannelOption<Integer> maxDatagramPayload) {

    private static final String EPOLL = "io.netty.channel.epoll.";

    public static Transport select(TransportKind kind) {
        return switch (kind) {
            case NIO -> nio();
            case EPOLL -> {
                Throwable why = epollUnavailability();
                if (why != null) {
                    throw new IllegalStateException("epoll is not available: " + why, why);
                }
                yield loadEpoll();
            }
            case AUTO -> epollUnavailability() == null ? loadEpoll() : nio();
        };
    }

    public boolean epoll() {
        return reusePort != null;
    }

    /** The client TCP channel of this transport (the ingress connects to shards with it). */
    @SuppressWarnings("unchecked")
    public Class<? extends SocketChannel> socketChannel() {
        if (!epoll()) {
            return NioSocketChannel.class;
        }
        try {
            return (Class<? extends SocketChannel>) Class.forName(EPOLL + "EpollSocketChannel");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("epoll classes are incomplete", e);
        }
    }

    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), ioHandlerFactory);
    }

    private static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioDatagramChannel.class, NioServerSocketChannel.class,
                null, null);
    }

    /** Null when epoll can be used, else the reason. */
    private static Throwable epollUnavailability() {
        try {
            Class<?> epoll = Class.forName(EPOLL + "Epoll");
            return (Throwable) epoll.getMethod("unavailabilityCause").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Transport loadEpoll() {
        try {
            IoHandlerFactory factory = (IoHandlerFactory) Class.forName(EPOLL + "EpollIoHandler")
                    .getMethod("newFactory").invoke(null);
            Class<?> options = Class.forName(EPOLL + "EpollChannelOption");
            ChannelOption<Boolean> reusePort = (ChannelOption<Boolean>) options.getField("SO_REUSEPORT").get(null);
            ChannelOption<Integer> maxPayload = (ChannelOption<Integer>) options.getField("MAX_DATAGRAM_PAYLOAD_SIZE")
                    .get(null);
            return new Transport("epoll", factory,
                    (Class<? extends DatagramChannel>) Class.forName(EPOLL + "EpollDatagramChannel"),
                    (Class<? extends ServerChannel>) Class.forName(EPOLL + "EpollServerSocketChannel"),
                    reusePort, maxPayload);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("epoll classes are incomplete", e);
        }
    }
}
