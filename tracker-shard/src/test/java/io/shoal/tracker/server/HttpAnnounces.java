package io.shoal.tracker.server;

import io.shoal.tracker.protocol.Bencode;
import io.shoal.tracker.testing.TrackerRequests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Builds tracker URLs and reads bencoded answers with the JDK's HTTP client. */
final class HttpAnnounces {
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private HttpAnnounces() {
    }

    static String announceQuery(byte[] hash, byte[] peerId, int port, long left, String extra) {
        return TrackerRequests.announceQuery(hash, peerId, port, left, extra);
    }

    static HttpResponse<byte[]> get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> dict(byte[] body) {
        return (Map<String, Object>) Bencode.decode(body);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> getDict(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(uri);
        if (r.statusCode() != 200) {
            throw new AssertionError("HTTP " + r.statusCode() + " for " + uri);
        }
        return (Map<String, Object>) Bencode.decode(r.body());
    }

    static String text(Object bencodedString) {
        return new String((byte[]) bencodedString, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
