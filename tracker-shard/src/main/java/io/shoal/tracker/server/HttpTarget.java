package io.shoal.tracker.server;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * What a tracker HTTP request asks for: {@code .../announce} or {@code .../scrape} under any path prefix (as trackers
 * with passkeys in the path expect), and its raw query. The shard and the ingress read requests through this one
 * class, so that both accept and refuse the same requests.
 *
 * @param path  the path, up to the query
 * @param query the raw query after {@code ?} (empty when none), without any {@code #fragment}
 */
public record HttpTarget(Route route, String path, CharSequence query) {

    public enum Route { ANNOUNCE, SCRAPE, OTHER }

    private static final String ANNOUNCE = "/announce";
    private static final String SCRAPE = "/scrape";

    /** The target of a request URI. */
    public static HttpTarget of(String uri) {
        int fragment = uri.indexOf('#');
        if (fragment >= 0) {
            // Clients should not send one (RFC 9112 3.2); if they do, it is not part of the path or the query.
            uri = uri.substring(0, fragment);
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        CharSequence query = q < 0 ? "" : uri.subSequence(q + 1, uri.length());
        Route route = path.endsWith(ANNOUNCE) ? Route.ANNOUNCE : path.endsWith(SCRAPE) ? Route.SCRAPE : Route.OTHER;
        return new HttpTarget(route, path, query);
    }

    /**
     * The answer to a request that is no tracker request at all (undecodable, too long, not HTTP/1.x, not a GET), or
     * null when it can be served.
     */
    public static FullHttpResponse refusal(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            return HttpAnswers.plain(version, statusOf(decoded.cause()), "bad request");
        }
        if (!HttpConnections.isSupported(version)) {
            // Answered in a version the client may not speak, but the status says what is wrong (and closes).
            return HttpAnswers.plain(HttpVersion.HTTP_1_1, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "only HTTP/1.0 and HTTP/1.1 are served");
        }
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse r = HttpAnswers.plain(version, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is served");
            r.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.asciiName());
            return r;
        }
        return null;
    }

    private static HttpResponseStatus statusOf(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }
}
