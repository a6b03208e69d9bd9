package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.id20;
import static io.shoal.tracker.server.HttpAnnounces.announceQuery;
import static io.shoal.tracker.server.HttpAnnounces.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTTP request deadline and the connection limits, over real sockets. */
class HttpConnectionLimitsTest {

    @Test
    void aRequestTrickledByteByByteIsCutOffAtItsDeadline() throws Exception {
        try (TestShard shard = TestShard.start(b -> b.bind("127.0.0.1").httpRequestTimeout(Duration.ofMillis(500))
                .httpIdleTimeout(Duration.ofSeconds(30)));
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", shard.runtime.httpPort()), 5000);
            s.setSoTimeout(100);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] request = "GET /scrape?info_hash=%00%01%02%03%04%05%06%07%08%09%0a%0b%0c%0d%0e%0f%10%11%12%13 HTTP/1.1\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            boolean closed = false;
            // One byte every 100 ms: each byte would restart an idle timeout. Bounded: 60 bytes, about 6 s.
            for (int i = 0; i < 60 && !closed; i++) {
                try {
                    out.write(request[i]);
                    out.flush();
                    closed = in.read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // no answer and no close yet
                } catch (SocketException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed while the request was still trickling in").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void theDeadlineIsPerRequestNotPerConnection() throws Exception {
        try (TestShard shard = TestShard.start(b -> b.bind("127.0.0.1").httpRequestTimeout(Duration.ofMillis(300)));
             RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            assertThat(c.get("/announce?" + announceQuery(id20(1), id20(2), 6881, 0, ""), "HTTP/1.1").status())
                    .isEqualTo(200);
            Thread.sleep(800);
            assertThat(c.get("/announce?" + announceQuery(id20(1), id20(2), 6881, 0, ""), "HTTP/1.1").status())
                    .as("an idle keep-alive connection is not a late request").isEqualTo(200);
        }
    }

    /**
     * Each connection is admitted on its own event loop, so connections opened back to back may be admitted in
     * any order (under load the third could take the first one's place). A reply on a connection proves it was
     * admitted, so the test opens the next connection only after the previous one has answered.
     */
    @Test
    void connectionsOverTheLimitsAreClosedAtOnceAndCounted() throws Exception {
        try (TestShard shard = TestShard.start(b -> b.httpMaxConnections(3).httpMaxConnectionsPerAddress(2))) {
            int port = shard.runtime.httpPort();
            String scrape = "/scrape?info_hash=" + Bytes.pct(id20(1));
            RawHttpConnection a1 = new RawHttpConnection("127.0.0.1", port);
            try {
                assertThat(a1.get(scrape, "HTTP/1.1").status()).isEqualTo(200);
                try (RawHttpConnection a2 = new RawHttpConnection("127.0.0.1", port)) {
                    assertThat(a2.get(scrape, "HTTP/1.1").status()).isEqualTo(200);
                    try (RawHttpConnection a3 = new RawHttpConnection("127.0.0.1", port)) {
                        assertThat(a3.closedByServer()).as("a third connection from one address").isTrue();
                    }
                    try (RawHttpConnection b1 = new RawHttpConnection("::1", port)) {
                        assertThat(b1.get(scrape, "HTTP/1.1").status()).isEqualTo(200);
                        try (RawHttpConnection b2 = new RawHttpConnection("::1", port)) {
                            assertThat(b2.closedByServer()).as("a fourth connection in all").isTrue();
                        }
                    }
                    String metrics = new String(get(shard.admin("/metrics")).body(), StandardCharsets.UTF_8);
                    assertThat(counter(metrics, "client")).isEqualTo(1);
                    assertThat(counter(metrics, "total")).isEqualTo(1);
                }
            } finally {
                a1.close();
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (RawHttpConnection again = new RawHttpConnection("127.0.0.1", port)) {
                    assertThat(again.get(scrape, "HTTP/1.1").status())
                            .as("places are given back when connections close").isEqualTo(200);
                }
            });
        }
    }

    private static long counter(String metrics, String limit) {
        Matcher m = Pattern.compile("(?m)^shoal_http_connections_refused_total\\{limit=\"" + limit + "\"} ([0-9.]+)$")
                .matcher(metrics);
        assertThat(m.find()).as("refused counter for " + limit).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
