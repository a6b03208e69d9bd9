package io.shoal.tracker.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves {@code /healthz}, {@code /readyz}, {@code /metrics} (Prometheus text) and {@code /stats} (JSON). */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final AdminPages pages;
    private final ObjectMapper json = new ObjectMapper();

    AdminHandler(AdminPages pages) {
        this.pages = pages;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        FullHttpResponse response;
        if (request.decoderResult().isFailure()) {
            response = text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        } else if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n");
        } else {
            response = route(pathOf(request.uri()));
        }
        response.setProtocolVersion(request.protocolVersion());
        HttpConnections.frame(response, keepAlive);
        if (HttpMethod.HEAD.equals(request.method())) {
            FullHttpResponse head = response.replace(Unpooled.EMPTY_BUFFER);
            response.release();
            response = head;
        }
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(String path) {
        switch (path) {
            case "/healthz":
                return text(HttpResponseStatus.OK, "ok\n");
            case "/readyz": {
                String why = pages.notReadyReason();
                if (why == null) {
                    return text(HttpResponseStatus.OK, "ready\n");
                }
                return text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready:" + why + "\n");
            }
            case "/metrics": {
                FullHttpResponse r = text(HttpResponseStatus.OK, pages.metrics());
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT);
                return r;
            }
            case "/stats":
                return stats();
            default:
                return text(HttpResponseStatus.NOT_FOUND, "not found\n");
        }
    }

    private FullHttpResponse stats() {
        Map<String, Object> body = pages.stats();
        try {
            FullHttpResponse r = new DefaultFullHttpResponse(
                    io.netty.handler.codec.http.HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(json.writeValueAsBytes(body)));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            return r;
        } catch (JsonProcessingException e) {
            LOG.warn("Could not write /stats", e);
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
    }

    private static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        HttpConnections.closeFailed(ctx, cause, LOG);
    }
}
