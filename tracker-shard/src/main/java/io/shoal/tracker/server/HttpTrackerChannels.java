package io.shoal.tracker.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.time.Duration;

/**
 * The pipeline of an accepted tracker HTTP connection, the same on every listener of a shard and of the ingress:
 * connection limits, idle and request deadlines, bounded request line and headers, no body, and
 * {@link HttpTrackerHandler} answering through an {@link HttpResponder}.
 */
public final class HttpTrackerChannels extends ChannelInitializer<SocketChannel> {
    /** Fits a scrape of 128 fully percent-encoded hashes (128 * 71 bytes) with a long path prefix. */
    public static final int MAX_INITIAL_LINE = 12 * 1024;
    public static final int MAX_HEADER_BYTES = 8192;
    /** Tracker requests are GETs: any body at all is refused (413). */
    public static final int MAX_BODY_BYTES = 0;

    private final HttpResponder responder;
    private final HttpConnectionLimit connectionLimit;
    private final long idleMillis;
    private final long requestNanos;
    private final HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_INITIAL_LINE)
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            .setMaxChunkSize(MAX_HEADER_BYTES);

    public HttpTrackerChannels(HttpResponder responder, HttpConnectionLimit connectionLimit, Duration idleTimeout,
                               Duration requestTimeout) {
        this.responder = responder;
        this.connectionLimit = connectionLimit;
        this.idleMillis = idleTimeout.toMillis();
        this.requestNanos = requestTimeout.toNanos();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!connectionLimit.admit(ch)) {
            return;
        }
        HttpRequestDeadline deadline = new HttpRequestDeadline(requestNanos);
        ch.pipeline().addLast(
                new FlushConsolidationHandler(256, true),
                HttpConnections.idleCloser(idleMillis),
                deadline.bytes(),
                new HttpServerCodec(decoderConfig),
                new HttpObjectAggregator(MAX_BODY_BYTES),
                deadline.requests(),
                new HttpTrackerHandler(responder));
    }
}
