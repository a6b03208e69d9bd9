package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.protocol.AcceptEncoding;
import io.shoal.tracker.protocol.AnnounceRequest;
import io.shoal.tracker.protocol.ForwardedFor;
import io.shoal.tracker.protocol.HttpAnnounceParser;
import io.shoal.tracker.protocol.HttpQuery;
import io.shoal.tracker.protocol.HttpReplies;
import io.shoal.tracker.protocol.HttpScrapeParser;
import io.shoal.tracker.protocol.TrustedProxies;
import io.shoal.tracker.server.TrackerMetrics.Kind;
import io.shoal.tracker.server.TrackerMetrics.Protocol;
import io.shoal.tracker.server.TrackerMetrics.Result;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The HTTP tracker's request handling, shared by all connections: routes {@code .../announce} and
 * {@code .../scrape} (under any path prefix, as trackers with passkeys in the path expect), turns every
 * outcome into a response, and counts it. The returned stage never fails: errors become responses.
 * BitTorrent clients expect tracker failures as HTTP 200 with a bencoded {@code failure reason}.
 *
 * <p>The client is the TCP peer, unless the peer is a trusted proxy: then {@link ForwardedFor} reads it from
 * {@code X-Forwarded-For}, and a malformed entry there fails the request with a {@code failure reason} (counted as an
 * error), because guessing would pin every client behind the proxy on one address.
 */
final class HttpTracker implements HttpResponder {
    static final String FULL_SCRAPE_OFF = "full scrape disabled";
    static final String RATE_LIMITED = "full scrape rate limit exceeded";
    private static final Protocol HTTP = Protocol.HTTP;

    private final TrackerService service;
    private final TrackerMetrics metrics;
    private final FullScrapeCache fullScrape;
    private final ClientRateLimiter fullScrapeLimiter;
    private final int maxScrapeHashes;
    private final String retryAfterSeconds;
    private final TrustedProxies trustedProxies;

    HttpTracker(TrackerService service, TrackerMetrics metrics, FullScrapeCache fullScrape,
                ClientRateLimiter fullScrapeLimiter, ShardConfig config) {
        this.service = service;
        this.metrics = metrics;
        this.fullScrape = fullScrape;
        this.fullScrapeLimiter = fullScrapeLimiter;
        this.maxScrapeHashes = config.maxHttpScrapeHashes();
        this.retryAfterSeconds = Long.toString(Math.max(1, config.fullScrapeRate().period().toSeconds()));
        this.trustedProxies = config.trustedProxies();
    }

    @Override
    public CompletionStage<FullHttpResponse> respond(HttpRequest request, byte[] peerIp, ByteBufAllocator alloc,
                                                     long start) {
        FullHttpResponse refused = HttpTarget.refusal(request);
        if (refused != null) {
            metrics.record(HTTP, Kind.INVALID, Result.ERROR, start);
            return done(refused);
        }
        HttpVersion version = request.protocolVersion();
        HttpTarget target = HttpTarget.of(request.uri());
        if (target.route() == HttpTarget.Route.OTHER) {
            metrics.record(HTTP, Kind.INVALID, Result.ERROR, start);
            return done(HttpAnswers.notFound(version));
        }
        try {
            byte[] clientIp = clientOf(request.headers(), peerIp);
            if (target.route() == HttpTarget.Route.ANNOUNCE) {
                return announce(version, HttpQuery.parse(target.query(), HttpAnnounceParser.PARAMETERS), clientIp,
                        alloc, start);
            }
            HttpQuery query = HttpQuery.parse(target.query(), HttpScrapeParser.PARAMETERS);
            List<byte[]> hashes = HttpScrapeParser.parse(query, maxScrapeHashes);
            return hashes.isEmpty()
                    ? fullScrape(version, request.headers(), clientIp, alloc, start)
                    : scrape(version, hashes, alloc, start);
        } catch (RuntimeException e) {
            // Query errors: the kind is known from the path, the message from the codec.
            Kind kind = target.route() == HttpTarget.Route.ANNOUNCE ? Kind.ANNOUNCE : Kind.SCRAPE;
            return done(failed(version, kind, e, alloc, start));
        }
    }

    private CompletionStage<FullHttpResponse> announce(HttpVersion version, HttpQuery query, byte[] ip,
                                                       ByteBufAllocator alloc, long start) {
        AnnounceRequest request = HttpAnnounceParser.parse(query);
        return service.announce(request, ip, PeerFamilies.BOTH).handle((result, failure) -> {
            if (failure != null) {
                return failed(version, Kind.ANNOUNCE, failure, alloc, start);
            }
            int peerBytes = result.peers4().length + result.peers6().length;
            ByteBuf body = alloc.buffer(128 + (request.compact() ? peerBytes : peerBytes * 12));
            try {
                HttpReplies.announce(body, result, service.interval(), service.minInterval(),
                        request.compact(), request.noPeerId(), null);
            } catch (RuntimeException e) {
                body.release();
                return failed(version, Kind.ANNOUNCE, e, alloc, start);
            }
            metrics.record(HTTP, Kind.ANNOUNCE, Result.OK, start);
            return bencoded(version, HttpResponseStatus.OK, body);
        });
    }

    private CompletionStage<FullHttpResponse> scrape(HttpVersion version, List<byte[]> hashes, ByteBufAllocator alloc,
                                                     long start) {
        return service.scrape(hashes).handle((counts, failure) -> {
            if (failure != null) {
                return failed(version, Kind.SCRAPE, failure, alloc, start);
            }
            ByteBuf body = alloc.buffer(16 + hashes.size() * 80);
            try {
                HttpReplies.scrape(body, hashes, counts);
            } catch (RuntimeException e) {
                body.release();
                return failed(version, Kind.SCRAPE, e, alloc, start);
            }
            metrics.record(HTTP, Kind.SCRAPE, Result.OK, start);
            return bencoded(version, HttpResponseStatus.OK, body);
        });
    }

    private CompletionStage<FullHttpResponse> fullScrape(HttpVersion version, HttpHeaders headers, byte[] ip,
                                                         ByteBufAllocator alloc, long start) {
        if (fullScrape == null) {
            return done(failed(version, Kind.FULL_SCRAPE, new RequestRefusedException(FULL_SCRAPE_OFF), alloc, start));
        }
        if (!fullScrapeLimiter.tryAcquire(ip)) {
            metrics.record(HTTP, Kind.FULL_SCRAPE, Result.REFUSED, start);
            return done(HttpAnswers.rateLimited(version, RATE_LIMITED, retryAfterSeconds, alloc));
        }
        boolean gzip = acceptsGzip(headers);
        return fullScrape.get().handle((snapshot, failure) -> {
            if (failure != null) {
                return failed(version, Kind.FULL_SCRAPE, failure, alloc, start);
            }
            FullHttpResponse r = bencoded(version, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(gzip ? snapshot.gzip() : snapshot.raw()));
            if (gzip) {
                r.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
            r.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
            metrics.record(HTTP, Kind.FULL_SCRAPE, Result.OK, start);
            return r;
        });
    }

    private FullHttpResponse failed(HttpVersion version, Kind kind, Throwable t, ByteBufAllocator alloc, long start) {
        Failure f = Failure.of(t);
        metrics.record(HTTP, kind, f.result(), start);
        return HttpAnswers.failure(version, f.clientMessage(), alloc);
    }

    /** The peer, or whom a trusted peer forwards for. */
    private byte[] clientOf(HttpHeaders headers, byte[] peerIp) {
        if (trustedProxies.isEmpty() || !trustedProxies.contains(peerIp)) {
            return peerIp;
        }
        return ForwardedFor.client(headers.getAll(ForwardedFor.HEADER), trustedProxies, peerIp);
    }

    static boolean acceptsGzip(HttpHeaders headers) {
        return AcceptEncoding.prefersGzip(headers.get(HttpHeaderNames.ACCEPT_ENCODING));
    }

    private static FullHttpResponse bencoded(HttpVersion version, HttpResponseStatus status, ByteBuf body) {
        return HttpAnswers.bencoded(version, status, body);
    }

    private static CompletionStage<FullHttpResponse> done(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
