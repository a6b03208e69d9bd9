package io.shoal.tracker.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletionStage;

/**
 * Answers the requests of tracker HTTP connections: the shard's tracker, or the ingress's router. The connection
 * handling around it (ordering of pipelined answers, keep-alive, limits) is {@link HttpTrackerChannels}' and the
 * same for both.
 */
public interface HttpResponder {

    /**
     * Answers one request. The request (and its headers) may not be used after this returns; the stage never fails,
     * errors become responses.
     *
     * @param peerIp     the TCP peer's address, normalised (4 bytes for IPv4 and IPv4-mapped IPv6, else 16)
     * @param startNanos {@link System#nanoTime()} when the request was read, for latency meters
     */
    CompletionStage<FullHttpResponse> respond(HttpRequest request, byte[] peerIp, ByteBufAllocator alloc,
                                              long startNanos);
}
