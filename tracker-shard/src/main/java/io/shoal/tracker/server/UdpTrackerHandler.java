package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.protocol.ConnectionIds;
import io.shoal.tracker.protocol.PeerAddresses;
import io.shoal.tracker.protocol.UdpDecodeException;
import io.shoal.tracker.protocol.UdpReplies;
import io.shoal.tracker.protocol.UdpRequest;
import io.shoal.tracker.protocol.UdpRequestDecoder;
import io.shoal.tracker.server.TrackerMetrics.Kind;
import io.shoal.tracker.server.TrackerMetrics.Protocol;
import io.shoal.tracker.server.TrackerMetrics.Result;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BEP 15 over one or more datagram channels. Only a client that proved its address (a valid connection id)
 * ever gets more than a connect reply, so spoofed sources cannot turn the tracker into an amplifier:
 * requests with a bad id and undecodable datagrams are dropped without an answer.
 */
@Sharable
final class UdpTrackerHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(UdpTrackerHandler.class);
    private static final Protocol UDP = Protocol.UDP;

    private final TrackerService service;
    private final ConnectionIds connectionIds;
    private final TrackerMetrics metrics;
    private final LongSupplier epochSeconds;

    UdpTrackerHandler(TrackerService service, ConnectionIds connectionIds, TrackerMetrics metrics,
                      LongSupplier epochSeconds) {
        this.service = service;
        this.connectionIds = connectionIds;
        this.metrics = metrics;
        this.epochSeconds = epochSeconds;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress sender = packet.sender();
        serve(ctx, packet.content(), sender, sender, null);
    }

    /**
     * Answers one BEP 15 datagram. {@code client} is who the request is from (connection ids, peer identity);
     * every reply goes to {@code replyTo}, prefixed with {@code prefix} when that is not null. On the public port
     * both are the sender and there is no prefix; on the internal port the client comes from the PROXY header,
     * replies go back to the ingress that sent it, and the prefix is that header.
     */
    void serve(ChannelHandlerContext ctx, ByteBuf in, InetSocketAddress client, InetSocketAddress replyTo,
               byte[] prefix) {
        long start = TrackerMetrics.startUdp();
        if (client == null || client.getAddress() == null || replyTo == null) {
            metrics.count(UDP, Kind.INVALID, Result.DROPPED);
            return;
        }
        byte[] ip = PeerAddresses.normalise(client.getAddress());
        long now = epochSeconds.getAsLong();
        UdpRequest request;
        try {
            request = UdpRequestDecoder.decode(in);
        } catch (UdpDecodeException e) {
            if (e.hasHeader() && connectionIds.isValid(e.connectionId(), ip, now)) {
                sendError(ctx, replyTo, prefix, e.transactionId(), e.getMessage());
                metrics.record(UDP, Kind.INVALID, Result.ERROR, start);
            } else {
                metrics.count(UDP, Kind.INVALID, Result.DROPPED);
            }
            return;
        } catch (RuntimeException e) {
            LOG.warn("UDP decoder failed on a {}-byte datagram; dropped", in.readableBytes(), e);
            metrics.count(UDP, Kind.INVALID, Result.DROPPED);
            return;
        }

        if (request instanceof UdpRequest.Connect connect) {
            ByteBuf out = buffer(ctx, prefix, 16);
            UdpReplies.connect(out, connect.transactionId(), connectionIds.issue(ip, now));
            send(ctx, replyTo, out);
            metrics.record(UDP, Kind.CONNECT, Result.OK, start);
        } else if (request instanceof UdpRequest.Announce announce) {
            if (!connectionIds.isValid(announce.connectionId(), ip, now)) {
                metrics.count(UDP, Kind.ANNOUNCE, Result.DROPPED);
                return;
            }
            int tx = announce.transactionId();
            boolean ipv6 = ip.length == 16;
            service.announce(announce.request(), ip, TrackerService.udpFamilies(ip))
                    .whenComplete((result, failure) -> {
                        if (failure == null) {
                            sendAnnounce(ctx, replyTo, prefix, tx, result, ipv6);
                            metrics.record(UDP, Kind.ANNOUNCE, Result.OK, start);
                        } else {
                            fail(ctx, replyTo, prefix, tx, Kind.ANNOUNCE, failure, start);
                        }
                    });
        } else if (request instanceof UdpRequest.Scrape scrape) {
            if (!connectionIds.isValid(scrape.connectionId(), ip, now)) {
                metrics.count(UDP, Kind.SCRAPE, Result.DROPPED);
                return;
            }
            int tx = scrape.transactionId();
            service.scrape(scrape.infoHashes()).whenComplete((counts, failure) -> {
                if (failure == null) {
                    sendScrape(ctx, replyTo, prefix, tx, counts);
                    metrics.record(UDP, Kind.SCRAPE, Result.OK, start);
                } else {
                    fail(ctx, replyTo, prefix, tx, Kind.SCRAPE, failure, start);
                }
            });
        }
    }

    /** A reply buffer that already holds {@code prefix} (the echoed PROXY header on the internal port), if any. */
    private static ByteBuf buffer(ChannelHandlerContext ctx, byte[] prefix, int payloadBytes) {
        if (prefix == null) {
            return ctx.alloc().ioBuffer(payloadBytes);
        }
        return ctx.alloc().ioBuffer(prefix.length + payloadBytes).writeBytes(prefix);
    }

    private static void send(ChannelHandlerContext ctx, InetSocketAddress to, ByteBuf out) {
        ctx.writeAndFlush(new DatagramPacket(out, to), ctx.voidPromise());
    }

    private void sendAnnounce(ChannelHandlerContext ctx, InetSocketAddress to, byte[] prefix, int tx, AnnounceResult r,
                              boolean ipv6) {
        ByteBuf out = buffer(ctx, prefix, 20 + (ipv6 ? r.peers6().length : r.peers4().length));
        UdpReplies.announce(out, tx, service.interval(), r, ipv6);
        send(ctx, to, out);
    }

    private static void sendScrape(ChannelHandlerContext ctx, InetSocketAddress to, byte[] prefix, int tx,
                                   List<SwarmCounts> counts) {
        ByteBuf out = buffer(ctx, prefix, 8 + 12 * counts.size());
        UdpReplies.scrape(out, tx, counts);
        send(ctx, to, out);
    }

    private void fail(ChannelHandlerContext ctx, InetSocketAddress to, byte[] prefix, int tx, Kind kind, Throwable t,
                      long start) {
        Failure f = Failure.of(t);
        sendError(ctx, to, prefix, tx, f.clientMessage());
        metrics.record(UDP, kind, f.result(), start);
    }

    private static void sendError(ChannelHandlerContext ctx, InetSocketAddress to, byte[] prefix, int tx,
                                  String message) {
        ByteBuf out = buffer(ctx, prefix, 8 + 64);
        UdpReplies.error(out, tx, message);
        send(ctx, to, out);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A datagram socket survives per-packet errors (e.g. ICMP unreachable reported on send); keep serving.
        LOG.debug("UDP channel {}: {}", ctx.channel(), cause.toString());
    }
}
