package io.shoal.tracker.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * What the tracker's and the admin's HTTP connections do alike, so that both frame responses and end connections
 * the same way: one place decides the Content-Length and Connection headers, idle closing and error closing.
 */
public final class HttpConnections {
    private HttpConnections() {
    }

    /**
     * Sets Content-Length to the body's size and the Connection header to the keep-alive decision. Call before a HEAD
     * answer drops its body, so that the length still tells the size a GET would have had.
     */
    public static void frame(FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (keepAlive) {
            HttpUtil.setKeepAlive(response, true);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /** HTTP/1.0 and HTTP/1.1: the versions served (Netty's decoder accepts any {@code NAME/x.y}). */
    public static boolean isSupported(HttpVersion version) {
        return version.majorVersion() == 1 && (version.minorVersion() == 0 || version.minorVersion() == 1)
                && "HTTP".equals(version.protocolName());
    }

    /** Closes a connection that has neither read nor written for {@code idleMillis}. First in the pipeline. */
    public static IdleStateHandler idleCloser(long idleMillis) {
        return new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS) {
            @Override
            protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                ctx.close();
            }
        };
    }

    /** Closes a failed connection; a client's reset or broken pipe is routine and not logged. */
    public static void closeFailed(ChannelHandlerContext ctx, Throwable cause, Logger log) {
        if (!(cause instanceof IOException)) {
            log.debug("Connection {} failed", ctx.channel(), cause);
        }
        ctx.close();
    }
}
