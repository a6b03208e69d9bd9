package io.shoal.tracker.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection whose request is not received in full within a deadline. The idle timeout cannot do
 * this: it restarts with every byte, so a client sending one byte a second would hold a connection (and its
 * decoder's buffer) forever.
 *
 * <p>One instance per connection, with two handlers: {@link #bytes()} sits before the HTTP decoder and starts the
 * clock when bytes arrive while no request is being received; {@link #requests()} sits after the aggregator and
 * stops it when a request has been decoded (well-formed or not). Bytes of a next request that arrived with the
 * previous one start its clock with the next read. At most one timer is pending per connection, and only while a
 * request is being received or was recently: a keep-alive connection pays one timer per deadline period, not one
 * per request. Everything runs on the connection's event loop.
 */
final class HttpRequestDeadline implements Runnable {
    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    /** Bytes of a request have arrived and it is not decoded yet. */
    private boolean receiving;
    private long receivingSince;
    private ScheduledFuture<?> timer;

    private final ChannelInboundHandler bytes = new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext context, Object msg) {
            if (!receiving) {
                receiving = true;
                receivingSince = System.nanoTime();
                if (timer == null) {
                    ctx = context;
                    timer = context.executor().schedule(HttpRequestDeadline.this, timeoutNanos, TimeUnit.NANOSECONDS);
                }
            }
            context.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            context.fireChannelInactive();
        }
    };

    private final ChannelInboundHandler requests = new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext context, Object msg) {
            if (msg instanceof HttpRequest) {
                receiving = false;
            }
            context.fireChannelRead(msg);
        }
    };

    HttpRequestDeadline(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Goes before the HTTP decoder. */
    ChannelInboundHandler bytes() {
        return bytes;
    }

    /** Goes after the HTTP aggregator, where whole requests pass. */
    ChannelInboundHandler requests() {
        return requests;
    }

    /** The timer: closes a request that is late, or waits for the current one's deadline, or stops. */
    @Override
    public void run() {
        timer = null;
        if (!receiving || !ctx.channel().isOpen()) {
            return;
        }
        long left = receivingSince + timeoutNanos - System.nanoTime();
        if (left <= 0) {
            ctx.close();
        } else {
            timer = ctx.executor().schedule(this, left, TimeUnit.NANOSECONDS);
        }
    }
}
