package io.shoal.tracker.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.shoal.tracker.protocol.PeerAddresses;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection. Responses leave in request order even when the store answers out of order
 * (pipelining), and a client that pipelines too far ahead is paused rather than buffered without bound.
 */
public final class HttpTrackerHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTrackerHandler.class);
    static final int MAX_PIPELINED = 16;

    private final HttpResponder responder;
    /** The TCP peer; the client unless a trusted proxy names another. */
    private byte[] peerIp;
    /** Completes when every earlier response has been handed to the channel. Touched on the event loop only. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
    private int pending;

    public HttpTrackerHandler(HttpResponder responder) {
        this.responder = responder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        peerIp = PeerAddresses.normalise(remote.getAddress());
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess()
                && HttpConnections.isSupported(request.protocolVersion());
        CompletionStage<FullHttpResponse> response = responder.respond(request, peerIp, ctx.alloc(), start);
        if (++pending > MAX_PIPELINED) {
            ctx.channel().config().setAutoRead(false);
        }
        CompletableFuture<FullHttpResponse> r = response.toCompletableFuture();
        if (previous.isDone() && r.isDone()) {
            write(ctx, r.join(), keepAlive);
        } else {
            previous = previous.thenCombine(r, (ignored, resp) -> resp)
                    .thenAccept(resp -> write(ctx, resp, keepAlive));
        }
    }

    private void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        HttpConnections.frame(response, keepAlive);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (--pending <= MAX_PIPELINED / 2 && !f.channel().config().isAutoRead()) {
                f.channel().config().setAutoRead(true);
            }
            if (!keepAlive || !f.isSuccess()) {
                f.channel().close();
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        HttpConnections.closeFailed(ctx, cause, LOG);
    }
}
