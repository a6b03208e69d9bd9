package io.shoal.tracker.testing;

import io.shoal.tracker.protocol.Bencode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** GETs a tracker URL with the JDK's HTTP client (HTTP/1.1, bounded waits) and reads bencoded answers. */
public final class TrackerHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TrackerHttp() {
    }

    /** {@code headers}: name, value, name, value, ... */
    public static HttpResponse<byte[]> get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> dict(byte[] body) {
        return (Map<String, Object>) Bencode.decode(body);
    }
}
