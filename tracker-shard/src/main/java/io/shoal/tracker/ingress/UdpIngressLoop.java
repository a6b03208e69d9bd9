package io.shoal.tracker.ingress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.shoal.tracker.ingress.IngressMetrics.Drop;
import io.shoal.tracker.ingress.IngressMetrics.Kind;
import io.shoal.tracker.ingress.IngressMetrics.Result;
import io.shoal.tracker.protocol.ConnectionIds;
import io.shoal.tracker.protocol.PeerAddresses;
import io.shoal.tracker.protocol.ProxyHeader;
import io.shoal.tracker.protocol.ProxyHeaderException;
import io.shoal.tracker.protocol.ProxyV2;
import io.shoal.tracker.protocol.UdpReplies;
import io.shoal.tracker.protocol.UdpRequestDecoder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP ingress work of one event loop: the public sockets bound to it, one upstream socket to the shards, and
 * the table of requests in flight between them. Everything here runs on that loop's thread, so the table needs no
 * locks, and a shard's reply (which arrives on the upstream socket of the loop that forwarded the request) is
 * relayed from the very public socket the request came in on.
 *
 * <p>BEP 15 connects are answered here with the shared connection id key; announces and scrapes from clients with
 * a valid id are forwarded to their shard's internal port behind a PROXY v2 header carrying the client's address
 * and a correlation id. Only a reply whose correlation id, sender, transaction id and action match a request in
 * flight is relayed; everything else is dropped.
 */
final class UdpIngressLoop {
    private static final Logger LOG = LoggerFactory.getLogger(UdpIngressLoop.class);
    private static final int HEADER = 16;
    private static final int ANNOUNCE_LENGTH = 98;
    static final String NOT_READY = "tracker not ready";
    static final String UNAVAILABLE = "shard unavailable, try later";
    static final String BUSY = "tracker busy, try later";
    static final String TIMED_OUT = "tracker timed out, try later";

    private final Supplier<Routes> routes;
    private final ConnectionIds connectionIds;
    private final IngressMetrics metrics;
    private final LongSupplier epochSeconds;
    private final long timeoutNanos;
    private final PendingTable pending;
    private final List<Channel> publicChannels = new ArrayList<>(2);
    private final boolean[] publicDirty = new boolean[8];
    private Channel upstream;
    private boolean upstreamDirty;

    final PublicHandler publicHandler = new PublicHandler();
    final UpstreamHandler upstreamHandler = new UpstreamHandler();

    UdpIngressLoop(Supplier<Routes> routes, ConnectionIds connectionIds, IngressMetrics metrics,
                   LongSupplier epochSeconds, long timeoutNanos, int pendingCapacity) {
        this.routes = routes;
        this.connectionIds = connectionIds;
        this.metrics = metrics;
        this.epochSeconds = epochSeconds;
        this.timeoutNanos = timeoutNanos;
        this.pending = new PendingTable(pendingCapacity);
    }

    void upstream(Channel ch) {
        upstream = ch;
    }

    void addPublic(Channel ch) {
        if (publicChannels.size() == publicDirty.length) {
            throw new IllegalStateException("too many public sockets on one event loop");
        }
        publicChannels.add(ch);
    }

    int upstreamPort() {
        return ((InetSocketAddress) upstream.localAddress()).getPort();
    }

    int inFlight() {
        return pending.inFlight();
    }

    /** Requests from clients on the public sockets. */
    @Sharable
    final class PublicHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            fromClient(ctx.channel(), packet.content(), packet.sender());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Public UDP channel {}: {}", ctx.channel(), cause.toString());
        }
    }

    /** Replies from shards on the upstream socket. */
    @Sharable
    final class UpstreamHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            fromShard(packet.content(), packet.sender());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // e.g. ICMP port unreachable from a stopped shard: its requests time out and the replica is taken out.
            LOG.debug("Upstream UDP channel {}: {}", ctx.channel(), cause.toString());
        }
    }

    private void fromClient(Channel channel, ByteBuf in, InetSocketAddress sender) {
        int length = in.readableBytes();
        if (length < HEADER || length > UdpRequestDecoder.MAX_DATAGRAM || sender == null
                || sender.getAddress() == null) {
            metrics.drop(Drop.MALFORMED);
            return;
        }
        long start = IngressMetrics.start();
        int at = in.readerIndex();
        long connectionId = in.getLong(at);
        int action = in.getInt(at + 8);
        int tx = in.getInt(at + 12);
        byte[] ip = PeerAddresses.normalise(sender.getAddress());
        long now = epochSeconds.getAsLong();
        if (action == UdpRequestDecoder.ACTION_CONNECT) {
            if (connectionId != UdpRequestDecoder.PROTOCOL_ID) {
                metrics.drop(Drop.MALFORMED);
                return;
            }
            ByteBuf out = channel.alloc().ioBuffer(16);
            UdpReplies.connect(out, tx, connectionIds.issue(ip, now));
            toClient(channel, out, sender);
            metrics.record(Kind.CONNECT, IngressMetrics.ALL, Result.OK, start);
            return;
        }
        if (!connectionIds.isValid(connectionId, ip, now)) {
            // Unauthenticated: answering could reflect traffic at a spoofed address.
            metrics.drop(Drop.CONNECTION_ID);
            return;
        }
        Routes r = routes.get();
        switch (action) {
            case UdpRequestDecoder.ACTION_ANNOUNCE -> {
                if (length < ANNOUNCE_LENGTH) {
                    error(channel, sender, tx, "bad announce length", Kind.ANNOUNCE, IngressMetrics.ALL, Result.ERROR, start);
                    return;
                }
                if (r == null) {
                    error(channel, sender, tx, NOT_READY, Kind.ANNOUNCE, IngressMetrics.ALL, Result.REFUSED, start);
                    return;
                }
                int shard = r.shardOfSlot(slotAt(in, at + HEADER));
                forward(r, shard, channel, sender, in, at, length, tx, Kind.ANNOUNCE, start, null, 0);
            }
            case UdpRequestDecoder.ACTION_SCRAPE -> scrape(r, channel, sender, in, at, length, tx, start);
            default -> {
                // Answered as the shard would, but no request kind of the ingress's meters.
                metrics.drop(Drop.UNKNOWN_ACTION);
                ByteBuf out = channel.alloc().ioBuffer(8 + 16);
                UdpReplies.error(out, tx, "unknown action");
                toClient(channel, out, sender);
            }
        }
    }

    private static int slotAt(ByteBuf in, int index) {
        return in.getUnsignedShort(index);
    }

    private void scrape(Routes r, Channel channel, InetSocketAddress sender, ByteBuf in, int at, int length, int tx,
                        long start) {
        int hashBytes = length - HEADER;
        if (hashBytes == 0 || hashBytes % 20 != 0) {
            error(channel, sender, tx, "bad scrape length", Kind.SCRAPE, IngressMetrics.ALL, Result.ERROR, start);
            return;
        }
        if (r == null) {
            error(channel, sender, tx, NOT_READY, Kind.SCRAPE, IngressMetrics.ALL, Result.REFUSED, start);
            return;
        }
        int n = hashBytes / 20;
        int first = r.shardOfSlot(slotAt(in, at + HEADER));
        boolean oneShard = true;
        for (int i = 1; i < n && oneShard; i++) {
            oneShard = r.shardOfSlot(slotAt(in, at + HEADER + 20 * i)) == first;
        }
        if (oneShard) {
            forward(r, first, channel, sender, in, at, length, tx, Kind.SCRAPE, start, null, 0);
            return;
        }
        split(r, channel, sender, in, at, n, tx, start);
    }

    /** Sends each shard the hashes it owns, in one request per shard; {@link ScrapeJoin} puts the answers back in order. */
    private void split(Routes r, Channel channel, InetSocketAddress sender, ByteBuf in, int at, int n, int tx,
                       long start) {
        int[] shardOf = new int[n];
        int[] order = new int[n];   // distinct shards in first-seen order
        int parts = 0;
        for (int i = 0; i < n; i++) {
            int shard = r.shardOfSlot(slotAt(in, at + HEADER + 20 * i));
            shardOf[i] = shard;
            int p = indexOf(order, parts, shard);
            if (p < 0) {
                order[parts++] = shard;
            }
        }
        int[][] positions = new int[parts][];
        for (int p = 0; p < parts; p++) {
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (shardOf[i] == order[p]) {
                    count++;
                }
            }
            positions[p] = new int[count];
            for (int i = 0, k = 0; i < n; i++) {
                if (shardOf[i] == order[p]) {
                    positions[p][k++] = i;
                }
            }
        }
        ScrapeJoin join = new ScrapeJoin(sender, channel, tx, start, positions, n);
        for (int p = 0; p < parts && !join.isFinished(); p++) {
            ByteBuf part = channel.alloc().heapBuffer(HEADER + 20 * positions[p].length);
            try {
                part.writeBytes(in, at, HEADER);
                for (int i : positions[p]) {
                    part.writeBytes(in, at + HEADER + 20 * i, 20);
                }
                forward(r, order[p], channel, sender, part, 0, part.readableBytes(), tx, Kind.SCRAPE, start, join, p);
            } finally {
                part.release();
            }
        }
    }

    private static int indexOf(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Forwards {@code length} bytes of {@code in} from {@code at} to a replica of {@code shard}. */
    private void forward(Routes r, int shard, Channel channel, InetSocketAddress client, ByteBuf in, int at,
                         int length, int tx, Kind kind, long start, ScrapeJoin join, int part) {
        InetSocketAddress replica = r.pick(shard);
        if (replica == null) {
            fail(join, channel, client, tx, UNAVAILABLE, kind, shard, Result.REFUSED, start);
            return;
        }
        long id = pending.add(System.nanoTime() + timeoutNanos, start, tx, shard, kind, client, replica, channel,
                join, part);
        if (id == 0) {
            fail(join, channel, client, tx, BUSY, kind, shard, Result.REFUSED, start);
            return;
        }
        InetSocketAddress self = (InetSocketAddress) channel.localAddress();
        ByteBuf out = upstream.alloc().ioBuffer(ProxyV2.INET6_HEADER_LENGTH + length);
        ProxyV2.write(out, client, self, id);
        out.writeBytes(in, at, length);
        upstream.write(new DatagramPacket(out, replica), upstream.voidPromise());
        upstreamDirty = true;
    }

    private void fromShard(ByteBuf in, InetSocketAddress sender) {
        ProxyHeader header;
        try {
            header = ProxyV2.read(in);
        } catch (ProxyHeaderException e) {
            metrics.drop(Drop.UNMATCHED_REPLY);
            return;
        }
        int i = header.hasCorrelation() ? pending.find(header.correlationId()) : -1;
        if (i < 0 || !sameAddress(pending.replica(i), sender)) {
            metrics.drop(Drop.UNMATCHED_REPLY);
            return;
        }
        int at = in.readerIndex() + header.length();
        int length = in.readableBytes() - header.length();
        Kind kind = pending.kind(i);
        int expectedAction = kind == Kind.ANNOUNCE ? UdpRequestDecoder.ACTION_ANNOUNCE : UdpRequestDecoder.ACTION_SCRAPE;
        int action = length >= 8 ? in.getInt(at) : -1;
        boolean isError = action == UdpRequestDecoder.ACTION_ERROR;
        if (length < 8 || length > UdpRequestDecoder.MAX_DATAGRAM || in.getInt(at + 4) != pending.tx(i)
                || (action != expectedAction && !isError)) {
            // Not an answer to what was asked: leave the request to time out rather than relay it.
            metrics.drop(Drop.UNMATCHED_REPLY);
            return;
        }
        int shard = pending.shard(i);
        routes.get().answered(shard, pending.replica(i));
        ScrapeJoin join = pending.join(i);
        if (join == null) {
            toClient(pending.replyChannel(i), in.retainedSlice(at, length), pending.client(i));
            metrics.record(kind, shard, isError ? Result.ERROR : Result.OK, pending.start(i));
        } else if (!join.isFinished()) {
            if (isError) {
                join.finish();
                toClient(join.replyChannel, in.retainedSlice(at, length), join.client);
                metrics.record(kind, IngressMetrics.ALL, Result.ERROR, join.start);
            } else if (!join.fits(pending.part(i), length)) {
                join.finish();
                error(join.replyChannel, join.client, join.tx, "bad reply from shard", kind, IngressMetrics.ALL,
                        Result.ERROR, join.start);
            } else if (join.complete(pending.part(i), in, at + 8)) {
                ByteBuf out = join.replyChannel.alloc().ioBuffer(join.replyLength());
                join.writeReply(out);
                toClient(join.replyChannel, out, join.client);
                metrics.record(kind, IngressMetrics.ALL, Result.OK, join.start);
            }
        }
        pending.remove(i);
    }

    /** Times out requests past their deadline; runs on this loop from a scheduled task. */
    void expire() {
        Routes r = routes.get();
        pending.expire(System.nanoTime(), i -> {
            if (r != null) {
                r.failed(pending.shard(i), pending.replica(i));
            }
            fail(pending.join(i), pending.replyChannel(i), pending.client(i), pending.tx(i), TIMED_OUT,
                    pending.kind(i), pending.shard(i), Result.TIMEOUT, pending.start(i));
        });
        flush();
    }

    /** Ends a request (or, for a part, its whole scrape) with an error to the client. */
    private void fail(ScrapeJoin join, Channel channel, InetSocketAddress client, int tx, String message, Kind kind,
                      int shard, Result result, long start) {
        if (join == null) {
            error(channel, client, tx, message, kind, shard, result, start);
        } else if (join.finish()) {
            error(join.replyChannel, join.client, join.tx, message, kind, IngressMetrics.ALL, result, join.start);
        }
    }

    private void error(Channel channel, InetSocketAddress to, int tx, String message, Kind kind, int shard,
                       Result result, long start) {
        ByteBuf out = channel.alloc().ioBuffer(8 + message.length());
        UdpReplies.error(out, tx, message);
        toClient(channel, out, to);
        metrics.record(kind, shard, result, start);
    }

    private void toClient(Channel channel, ByteBuf out, InetSocketAddress to) {
        if (!channel.isActive()) {
            out.release();
            return;
        }
        channel.write(new DatagramPacket(out, to), channel.voidPromise());
        int i = publicChannels.indexOf(channel);
        if (i >= 0) {
            publicDirty[i] = true;
        } else {
            channel.flush();
        }
    }

    private void flush() {
        if (upstreamDirty) {
            upstreamDirty = false;
            upstream.flush();
        }
        for (int i = 0; i < publicChannels.size(); i++) {
            if (publicDirty[i]) {
                publicDirty[i] = false;
                publicChannels.get(i).flush();
            }
        }
    }

    /** Equal, or the same address in IPv4 and IPv4-mapped IPv6 form (a dual-stack socket may report either). */
    static boolean sameAddress(InetSocketAddress expected, InetSocketAddress actual) {
        if (expected.equals(actual)) {
            return true;
        }
        return actual != null && actual.getAddress() != null && expected.getPort() == actual.getPort()
                && Arrays.equals(PeerAddresses.normalise(expected.getAddress()),
                        PeerAddresses.normalise(actual.getAddress()));
    }
}
