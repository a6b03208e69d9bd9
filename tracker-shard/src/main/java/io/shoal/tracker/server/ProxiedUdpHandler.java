package io.shoal.tracker.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.shoal.tracker.protocol.ProxyHeader;
import io.shoal.tracker.protocol.ProxyHeaderException;
import io.shoal.tracker.protocol.ProxyV2;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard's internal UDP port: every datagram must start with a PROXY v2 header (written by the ingress). The
 * BEP 15 request after it is served as if it came from the header's source, and the reply goes back to the
 * sender, never to that source, prefixed with the header bytes exactly as received (so the ingress finds its
 * correlation id). Anything else is dropped unanswered and counted in {@value #DROPPED}.
 */
@Sharable
final class ProxiedUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    static final String DROPPED = "shoal.internal.datagrams.dropped";
    private static final Logger LOG = LoggerFactory.getLogger(ProxiedUdpHandler.class);

    private final UdpTrackerHandler tracker;
    private final Counter dropped;

    ProxiedUdpHandler(UdpTrackerHandler tracker, MeterRegistry registry) {
        this.tracker = tracker;
        this.dropped = Counter.builder(DROPPED)
                .description("Datagrams on the internal port without a valid PROXY v2 header, or with an unusable "
                        + "client address in it; dropped unanswered")
                .register(registry);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf in = packet.content();
        ProxyHeader header;
        try {
            header = ProxyV2.read(in);
        } catch (ProxyHeaderException e) {
            dropped.increment();
            LOG.debug("Dropped a datagram from {} on the internal port: {}", packet.sender(), e.getMessage());
            return;
        }
        InetAddress client = header.source().getAddress();
        if (client.isAnyLocalAddress() || client.isMulticastAddress()) {
            dropped.increment();
            return;
        }
        // Copied out because an announce may be answered after this datagram's buffer has been released.
        byte[] prefix = ByteBufUtil.getBytes(in, in.readerIndex(), header.length());
        ByteBuf request = in.slice(in.readerIndex() + header.length(), in.readableBytes() - header.length());
        InetSocketAddress sender = packet.sender();
        tracker.serve(ctx, request, header.source(), sender, prefix);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Internal UDP channel {}: {}", ctx.channel(), cause.toString());
    }
}
