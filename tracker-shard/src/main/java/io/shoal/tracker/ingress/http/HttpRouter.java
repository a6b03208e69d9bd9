package io.shoal.tracker.ingress.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.shoal.routing.Slots;
import io.shoal.tracker.ingress.Routes;
import io.shoal.tracker.ingress.http.HttpIngressMeters.Kind;
import io.shoal.tracker.ingress.http.HttpIngressMeters.Result;
import io.shoal.tracker.protocol.AcceptEncoding;
import io.shoal.tracker.protocol.HttpQuery;
import io.shoal.tracker.protocol.HttpScrapeParser;
import io.shoal.tracker.protocol.PeerAddresses;
import io.shoal.tracker.protocol.ProtocolException;
import io.shoal.tracker.server.ClientRateLimiter;
import io.shoal.tracker.server.FullScrapeCache;
import io.shoal.tracker.server.HttpAnswers;
import io.shoal.tracker.server.HttpResponder;
import io.shoal.tracker.server.HttpTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's answer to each tracker HTTP request. It reads only what routing needs (the info hashes), leaves
 * checking everything else to the shard, and answers the way a shard would: the same refusals for requests that are
 * not tracker requests, and HTTP 200 with a bencoded {@code failure reason} when a request cannot be served.
 *
 * <ul>
 *   <li>announce: forwarded unchanged (path and query) to a replica of the shard owning the info hash, with the
 *       client's address in {@code X-Forwarded-For}; the answer relayed.</li>
 *   <li>scrape: the hashes split by shard, one request per shard sent at once, the answers merged; any failure fails
 *       the whole scrape.</li>
 *   <li>full scrape: served from a {@link FullScrapeCache} of the merged documents of one replica of every shard,
 *       rate limited per client as the shard does it.</li>
 * </ul>
 */
final class HttpRouter implements HttpResponder {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);
    static final String FULL_SCRAPE_OFF = "full scrape disabled";
    static final String RATE_LIMITED = "full scrape rate limit exceeded";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final AsciiString[] RELAYED = {HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_ENCODING,
            HttpHeaderNames.RETRY_AFTER, HttpHeaderNames.VARY};

    private final HttpIngressSettings settings;
    private final Supplier<Routes> routes;
    private final ShardClient shards;
    private final HttpIngressMeters meters;
    private final FullScrapeCache fullScrape;
    private final ClientRateLimiter fullScrapeLimiter;
    private final String retryAfterSeconds;

    HttpRouter(HttpIngressSettings settings, Supplier<Routes> routes, ShardClient shards, HttpIngressMeters meters,
               FullScrapeCache fullScrape, ClientRateLimiter fullScrapeLimiter) {
        this.settings = settings;
        this.routes = routes;
        this.shards = shards;
        this.meters = meters;
        this.fullScrape = fullScrape;
        this.fullScrapeLimiter = fullScrapeLimiter;
        this.retryAfterSeconds = Long.toString(Math.max(1, settings.fullScrapeRate().period().toSeconds()));
    }

    @Override
    public CompletionStage<FullHttpResponse> respond(HttpRequest request, byte[] peerIp, ByteBufAllocator alloc,
                                                     long start) {
        FullHttpResponse refused = HttpTarget.refusal(request);
        if (refused != null) {
            meters.record(Kind.INVALID, HttpIngressMeters.ALL, Result.ERROR, start);
            return done(refused);
        }
        HttpVersion version = request.protocolVersion();
        HttpTarget target = HttpTarget.of(request.uri());
        if (target.route() == HttpTarget.Route.OTHER) {
            meters.record(Kind.INVALID, HttpIngressMeters.ALL, Result.ERROR, start);
            return done(HttpAnswers.notFound(version));
        }
        Kind kind = target.route() == HttpTarget.Route.ANNOUNCE ? Kind.ANNOUNCE : Kind.SCRAPE;
        try {
            HttpQuery query = HttpQuery.parse(target.query(), HttpScrapeParser.PARAMETERS);
            if (kind == Kind.ANNOUNCE) {
                return announce(version, target, infoHash(query), peerIp, alloc, start);
            }
            List<byte[]> hashes = HttpScrapeParser.parse(query, settings.maxScrapeHashes());
            return hashes.isEmpty()
                    ? fullScrape(version, request.headers(), peerIp, alloc, start)
                    : scrape(version, target, hashes, peerIp, alloc, start);
        } catch (ProtocolException e) {
            meters.record(kind, HttpIngressMeters.ALL, Result.ERROR, start);
            return done(HttpAnswers.failure(version, e.getMessage(), alloc));
        }
    }

    /** The announce's one info hash, with the shard's words for what is wrong with it. */
    private static byte[] infoHash(HttpQuery query) {
        List<byte[]> values = query.values("info_hash");
        if (values.isEmpty()) {
            throw new ProtocolException("missing info_hash");
        }
        if (values.size() > 1) {
            throw new ProtocolException("repeated info_hash");
        }
        byte[] hash = values.get(0);
        if (hash.length != 20) {
            throw new ProtocolException("info_hash must be 20 bytes");
        }
        return hash;
    }

    private CompletionStage<FullHttpResponse> announce(HttpVersion version, HttpTarget target, byte[] hash,
                                                       byte[] peerIp, ByteBufAllocator alloc, long start) {
        Routes r = routes.get();
        int shard = r.shardOfSlot(Slots.of(hash));
        String uri = target.query().length() == 0 ? target.path() : target.path() + "?" + target.query();
        return shards.send(r, shard, uri, PeerAddresses.toText(peerIp)).handle((response, failure) -> {
            if (failure != null) {
                return failed(version, Kind.ANNOUNCE, shard, failure, alloc, start);
            }
            boolean ok = response.status().codeClass() == HttpStatusClass.SUCCESS;
            meters.record(Kind.ANNOUNCE, shard, ok ? Result.OK : Result.ERROR, start);
            return relay(version, response);
        });
    }

    private CompletionStage<FullHttpResponse> scrape(HttpVersion version, HttpTarget target, List<byte[]> hashes,
                                                     byte[] peerIp, ByteBufAllocator alloc, long start) {
        Routes r = routes.get();
        // Hashes per shard, in the order shards are first met; a scrape names few shards.
        List<Integer> shardsMet = new ArrayList<>(4);
        List<StringBuilder> queries = new ArrayList<>(4);
        for (byte[] h : hashes) {
            int shard = r.shardOfSlot(Slots.of(h));
            int i = shardsMet.indexOf(shard);
            if (i < 0) {
                i = shardsMet.size();
                shardsMet.add(shard);
                queries.add(new StringBuilder(target.path().length() + 72 * 4).append(target.path()).append('?'));
            } else {
                queries.get(i).append('&');
            }
            appendInfoHash(queries.get(i), h);
        }
        int tag = shardsMet.size() == 1 ? shardsMet.get(0) : HttpIngressMeters.ALL;
        String client = PeerAddresses.toText(peerIp);
        List<CompletableFuture<FullHttpResponse>> answers = new ArrayList<>(shardsMet.size());
        for (int i = 0; i < shardsMet.size(); i++) {
            answers.add(shards.send(r, shardsMet.get(i), queries.get(i).toString(), client));
        }
        return mergedScrape(answers, Runnable::run).handle((body, failure) -> {
            if (failure != null) {
                return failed(version, Kind.SCRAPE, tag, failure, alloc, start);
            }
            meters.record(Kind.SCRAPE, tag, Result.OK, start);
            return HttpAnswers.bencoded(version, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body.raw()));
        });
    }

    private CompletionStage<FullHttpResponse> fullScrape(HttpVersion version, HttpHeaders headers, byte[] peerIp,
                                                         ByteBufAllocator alloc, long start) {
        if (fullScrape == null) {
            meters.record(Kind.FULL_SCRAPE, HttpIngressMeters.ALL, Result.REFUSED, start);
            return done(HttpAnswers.failure(version, FULL_SCRAPE_OFF, alloc));
        }
        if (!fullScrapeLimiter.tryAcquire(peerIp)) {
            meters.record(Kind.FULL_SCRAPE, HttpIngressMeters.ALL, Result.REFUSED, start);
            return done(HttpAnswers.rateLimited(version, RATE_LIMITED, retryAfterSeconds, alloc));
        }
        boolean gzip = AcceptEncoding.prefersGzip(headers.get(HttpHeaderNames.ACCEPT_ENCODING));
        return fullScrape.get().handle((snapshot, failure) -> {
            if (failure != null) {
                return failed(version, Kind.FULL_SCRAPE, HttpIngressMeters.ALL, failure, alloc, start);
            }
            FullHttpResponse r = HttpAnswers.bencoded(version, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(gzip ? snapshot.gzip() : snapshot.raw()));
            if (gzip) {
                r.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
            r.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
            meters.record(Kind.FULL_SCRAPE, HttpIngressMeters.ALL, Result.OK, start);
            return r;
        });
    }

    /**
     * The full scrape of every shard, merged: one request to a replica of each shard, sent at once. The ingress's own
     * request (no {@code X-Forwarded-For}), so shards rate-limit the ingress as one client. The merge runs on
     * {@code merger}, not on an event loop.
     */
    CompletableFuture<FullScrapeCache.Document> fullScrapeOfAllShards(Executor merger) {
        Routes r = routes.get();
        List<CompletableFuture<FullHttpResponse>> answers = new ArrayList<>(r.shardCount());
        for (int shard = 0; shard < r.shardCount(); shard++) {
            answers.add(shards.send(r, shard, "/scrape", null));
        }
        return mergedScrape(answers, merger);
    }

    /** Waits for every answer, then merges them; any failure fails the whole, and every answer is released. */
    private static CompletableFuture<FullScrapeCache.Document> mergedScrape(
            List<CompletableFuture<FullHttpResponse>> answers, Executor merger) {
        return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).handleAsync((ignored, failure) -> {
            List<FullHttpResponse> got = new ArrayList<>(answers.size());
            for (CompletableFuture<FullHttpResponse> a : answers) {
                if (!a.isCompletedExceptionally()) {
                    got.add(a.join());
                }
            }
            try {
                if (failure != null) {
                    throw failure instanceof CompletionException c && c.getCause() != null
                            ? asForward(c.getCause()) : asForward(failure);
                }
                return merge(got);
            } finally {
                got.forEach(FullHttpResponse::release);
            }
        }, merger);
    }

    private static FullScrapeCache.Document merge(List<FullHttpResponse> answers) {
        List<ScrapeFiles> parts = new ArrayList<>(answers.size());
        int total = 0;
        for (FullHttpResponse a : answers) {
            if (a.status().code() != 200) {
                throw new ForwardException(ForwardException.Reason.BAD_ANSWER);
            }
            ScrapeFiles files;
            try {
                files = ScrapeFiles.read(a.content());
            } catch (IllegalArgumentException e) {
                throw new ForwardException(ForwardException.Reason.BAD_ANSWER);
            }
            if (files.failure() != null) {
                throw new ForwardException(ForwardException.Reason.SHARD_FAILURE, files.failure());
            }
            parts.add(files);
            total += a.content().readableBytes();
        }
        ByteBuf out = Unpooled.buffer(total + 16);
        try {
            int n = ScrapeFiles.merge(parts, out);
            byte[] raw = new byte[out.readableBytes()];
            out.readBytes(raw);
            return new FullScrapeCache.Document(raw, n);
        } finally {
            out.release();
        }
    }

    private static RuntimeException asForward(Throwable t) {
        return t instanceof RuntimeException r ? r : new CompletionException(t);
    }

    private FullHttpResponse failed(HttpVersion version, Kind kind, int shard, Throwable failure,
                                    ByteBufAllocator alloc, long start) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        String message;
        Result result;
        if (t instanceof ForwardException f) {
            message = f.getMessage();
            result = f.result();
        } else {
            LOG.warn("Request through the ingress failed unexpectedly", t);
            message = "internal error";
            result = Result.ERROR;
        }
        meters.record(kind, shard, result, start);
        return HttpAnswers.failure(version, message, alloc);
    }

    /** The shard's answer in the client's HTTP version; framing headers are set when it is written. */
    private static FullHttpResponse relay(HttpVersion version, FullHttpResponse answer) {
        FullHttpResponse r = new DefaultFullHttpResponse(version, answer.status(), answer.content());
        for (AsciiString name : RELAYED) {
            String value = answer.headers().get(name);
            if (value != null) {
                r.headers().set(name, value);
            }
        }
        return r;
    }

    private static void appendInfoHash(StringBuilder sb, byte[] hash) {
        sb.append("info_hash=");
        for (byte b : hash) {
            sb.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
    }

    private static CompletionStage<FullHttpResponse> done(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
