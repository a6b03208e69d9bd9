package io.shoal.tracker.ingress.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of a pooled connection to a shard replica: sends a call's request, hands the answer to the call, and gives
 * the connection back to its pool exactly once per acquisition, whatever happens (answer, failure, close). All on
 * the connection's event loop.
 */
final class ReplyHandler extends ChannelInboundHandlerAdapter {
    private final ReplicaPool pool;
    private final ShardClient client;
    private ChannelHandlerContext ctx;
    private ForwardCall current;
    /** Whether this connection has carried an answer: if it then breaks, it went stale, the replica is not at fault. */
    private boolean used;

    ReplyHandler(ReplicaPool pool, ShardClient client) {
        this.pool = pool;
        this.client = client;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Runs {@code call} on this freshly acquired connection. */
    void start(ForwardCall call) {
        call.channel = ctx.channel();
        if (call.promise.isDone()) {
            pool.release(ctx.channel());
            return;
        }
        if (!ctx.channel().isActive()) {
            pool.release(ctx.channel());
            client.retry(call, new ForwardException(ForwardException.Reason.UNREACHABLE));
            return;
        }
        current = call;
        call.sending();
        ctx.writeAndFlush(call.request(pool.hostHeader)).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ForwardCall call = current;
        current = null;
        if (call == null || !(msg instanceof FullHttpResponse response)) {
            // Nothing was asked on this connection: it cannot be trusted to be in step any more.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        used = true;
        boolean keepAlive = HttpUtil.isKeepAlive(response);
        if (response.decoderResult().isFailure()) {
            response.release();
            call.fail(new ForwardException(ForwardException.Reason.BAD_ANSWER));
            keepAlive = false;
        } else if (!call.answer(response)) {
            response.release();
        }
        if (!keepAlive) {
            ctx.close();
        }
        pool.release(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ForwardCall call = current;
        current = null;
        if (call != null) {
            pool.release(ctx.channel());
            // A call already decided (its deadline closed this connection) was dealt with by whoever decided it.
            if (!used && !call.promise.isDone()) {
                call.routes.failed(call.shard, pool.address);
            }
            client.retry(call, new ForwardException(ForwardException.Reason.UNREACHABLE));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ForwardCall call = current;
        current = null;
        if (call != null) {
            pool.release(ctx.channel());
            boolean badAnswer = cause instanceof DecoderException || cause instanceof TooLongFrameException;
            call.fail(new ForwardException(badAnswer ? ForwardException.Reason.BAD_ANSWER
                    : ForwardException.Reason.UNREACHABLE));
        }
        ctx.close();
    }
}
