package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.shoal.tracker.protocol.HttpReplies;
import java.nio.charset.StandardCharsets;

/**
 * Responses of the tracker's HTTP side, shard and ingress alike. BitTorrent clients expect tracker failures as HTTP
 * 200 with a bencoded {@code failure reason} (a non-200 status is shown as a transport error and its body ignored), so
 * that is what every failure of a tracker request is; plain-text statuses are for requests that are not tracker
 * requests at all.
 */
public final class HttpAnswers {
    public static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");

    private HttpAnswers() {
    }

    /** A bencoded body (trackers have always sent it as text/plain). */
    public static FullHttpResponse bencoded(HttpVersion version, HttpResponseStatus status, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(version, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
        return r;
    }

    /** A one-line text body with {@code status}. */
    public static FullHttpResponse plain(HttpVersion version, HttpResponseStatus status, String text) {
        return bencoded(version, status, Unpooled.copiedBuffer(text + "\n", StandardCharsets.US_ASCII));
    }

    /** HTTP 200 with {@code d14:failure reason...e}. */
    public static FullHttpResponse failure(HttpVersion version, String reason, ByteBufAllocator alloc) {
        ByteBuf body = alloc.buffer(32 + reason.length());
        HttpReplies.failure(body, reason);
        return bencoded(version, HttpResponseStatus.OK, body);
    }

    /** HTTP 429 with a bencoded failure and {@code Retry-After}. */
    public static FullHttpResponse rateLimited(HttpVersion version, String reason, String retryAfterSeconds,
                                               ByteBufAllocator alloc) {
        ByteBuf body = alloc.buffer(32 + reason.length());
        HttpReplies.failure(body, reason);
        FullHttpResponse r = bencoded(version, HttpResponseStatus.TOO_MANY_REQUESTS, body);
        r.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        return r;
    }

    public static FullHttpResponse notFound(HttpVersion version) {
        return plain(version, HttpResponseStatus.NOT_FOUND, "not found");
    }
}
