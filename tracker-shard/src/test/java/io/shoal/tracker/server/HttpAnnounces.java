package io.shoal.tracker.server;

import io.shoal.tracker.testing.TrackerHttp;
import io.shoal.tracker.testing.TrackerRequests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

/** Builds tracker URLs and reads bencoded answers with the JDK's HTTP client ({@link TrackerHttp}). */
final class HttpAnnounces {
    private HttpAnnounces() {
    }

    static String announceQuery(byte[] hash, byte[] peerId, int port, long left, String extra) {
        return TrackerRequests.announceQuery(hash, peerId, port, left, extra);
    }

    static HttpResponse<byte[]> get(URI uri, String... headers) throws IOException, InterruptedException {
        return TrackerHttp.get(uri, headers);
    }

    static Map<String, Object> dict(byte[] body) {
        return TrackerHttp.dict(body);
    }

    static Map<String, Object> getDict(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(uri);
        if (r.statusCode() != 200) {
            throw new AssertionError("HTTP " + r.statusCode() + " for " + uri);
        }
        return dict(r.body());
    }

    static String text(Object bencodedString) {
        return new String((byte[]) bencodedString, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
