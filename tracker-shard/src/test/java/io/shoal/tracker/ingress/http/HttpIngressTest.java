package io.shoal.tracker.ingress.http;

import static io.shoal.tracker.testing.TrackerRequests.announceQuery;
import static io.shoal.tracker.testing.TrackerRequests.pct;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.testing.TrackerHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three real shards behind a real ingress on loopback, spoken to over real sockets. */
class HttpIngressTest {
    private static final AtomicInteger LABELS = new AtomicInteger(1);
    private static IngressRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = IngressRig.start(3);
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    static HttpResponse<byte[]> get(URI uri, String... headers) throws IOException, InterruptedException {
        return TrackerHttp.get(uri, headers);
    }

    static Map<String, Object> dict(byte[] body) {
        return TrackerHttp.dict(body);
    }

    static Map<String, Object> getDict(URI uri, String... headers) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(uri, headers);
        assertThat(r.statusCode()).as("status of " + uri).isEqualTo(200);
        return dict(r.body());
    }

    static String failure(Map<String, Object> answer) {
        Object f = answer.get("failure reason");
        return f == null ? null : new String((byte[]) f, StandardCharsets.UTF_8);
    }

    static byte[] peerId(int n) {
        byte[] id = new byte[20];
        id[0] = '-';
        id[19] = (byte) n;
        return id;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> counts(Map<String, Object> scrape, byte[] hash) {
        return (Map<String, Object>) ((Map<String, Object>) scrape.get("files"))
                .get(new String(hash, StandardCharsets.ISO_8859_1));
    }

    @Test
    void announcesLandOnTheOwningShardWithTheClientsAddress() throws Exception {
        for (int shard = 0; shard < 3; shard++) {
            byte[] hash = rig.hashOf(shard, LABELS.incrementAndGet());
            // From ::1 to the ingress: the shard sees the ingress (127.0.0.1) as peer and ::1 as the client.
            Map<String, Object> seeded = getDict(rig.viaIngress6("/announce?" + announceQuery(hash, peerId(1), 6881, 0, "")));
            assertThat(failure(seeded)).isNull();
            assertThat(seeded.get("complete")).isEqualTo(1L);

            for (int other = 0; other < 3; other++) {
                Map<String, Object> direct = getDict(rig.direct(other, "/scrape?info_hash=" + pct(hash)));
                assertThat(counts(direct, hash).get("complete")).as("shard " + other + " for a hash of shard " + shard)
                        .isEqualTo(other == shard ? 1L : 0L);
            }
            Map<String, Object> second = getDict(rig.viaIngress("/announce?"
                    + announceQuery(hash, peerId(2), 6882, 10, "compact=0")));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> peers = (List<Map<String, Object>>) second.get("peers");
            assertThat(peers).hasSize(1);
            assertThat(new String((byte[]) peers.get(0).get("ip"), StandardCharsets.US_ASCII)).isEqualTo("::1");
            assertThat(peers.get(0).get("port")).isEqualTo(6881L);
            assertThat(rig.requests("announce", Integer.toString(shard), "ok")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void scrapeOverSeveralShardsIsSplitAndMerged() throws Exception {
        byte[][] hashes = new byte[3][];
        for (int shard = 0; shard < 3; shard++) {
            hashes[shard] = rig.hashOf(shard, LABELS.incrementAndGet());
            for (int p = 0; p <= shard; p++) {
                getDict(rig.viaIngress("/announce?" + announceQuery(hashes[shard], peerId(p), 7000 + p, 0, "")));
            }
        }
        byte[] unknown = rig.hashOf(1, LABELS.incrementAndGet());
        String query = "info_hash=" + pct(hashes[2]) + "&info_hash=" + pct(unknown) + "&info_hash=" + pct(hashes[0])
                + "&info_hash=" + pct(hashes[1]);
        HttpResponse<byte[]> r = get(rig.viaIngress("/some/passkey/scrape?" + query));
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> merged = dict(r.body());   // the strict decoder checks key order
        assertThat((Map<?, ?>) merged.get("files")).hasSize(4);
        for (int shard = 0; shard < 3; shard++) {
            assertThat(counts(merged, hashes[shard]).get("complete")).isEqualTo((long) shard + 1);
        }
        assertThat(counts(merged, unknown).get("complete")).isEqualTo(0L);
        assertThat(rig.requests("scrape", "all", "ok")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void fullScrapeIsMergedGzippedOnRequestAndRateLimited() throws Exception {
        byte[][] hashes = new byte[3][];
        for (int shard = 0; shard < 3; shard++) {
            hashes[shard] = rig.hashOf(shard, LABELS.incrementAndGet());
            getDict(rig.viaIngress("/announce?" + announceQuery(hashes[shard], peerId(9), 7100, 0, "")));
        }
        HttpResponse<byte[]> r = get(rig.viaIngress6("/scrape"), "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
        byte[] raw;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            raw = in.readAllBytes();
        }
        Map<String, Object> all = dict(raw);
        for (byte[] h : hashes) {
            assertThat(counts(all, h).get("complete")).isEqualTo(1L);
        }
        HttpResponse<byte[]> plain = get(rig.viaIngress6("/scrape"));
        assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
        assertThat(dict(plain.body())).isEqualTo(all);

        HttpResponse<byte[]> third = get(rig.viaIngress6("/scrape"));
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("retry-after")).hasValue("60");
        assertThat(failure(dict(third.body()))).isEqualTo(HttpRouter.RATE_LIMITED);
    }

    @Test
    void clientKeepAliveIsHonoured() throws Exception {
        byte[] hash = rig.hashOf(2, LABELS.incrementAndGet());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", rig.ingressPort(0)), 5000);
            s.setSoTimeout(5000);
            for (int i = 0; i < 3; i++) {
                String head = "GET /announce?" + announceQuery(hash, peerId(i), 7200 + i, 0, "") + " HTTP/1.1\r\nHost: t\r\n\r\n";
                s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                Raw answer = Raw.read(s.getInputStream());
                assertThat(answer.status).isEqualTo(200);
                assertThat(dict(answer.body).get("complete")).isEqualTo((long) i + 1);
            }
        }
    }

    @Test
    void pipelinedRequestsToDifferentShardsAreAnsweredInOrder() throws Exception {
        int[] shardOrder = {2, 0, 1};
        int[] seeders = {3, 1, 2};
        byte[][] hashes = new byte[3][];
        for (int i = 0; i < 3; i++) {
            hashes[i] = rig.hashOf(shardOrder[i], LABELS.incrementAndGet());
            for (int p = 0; p < seeders[i]; p++) {
                getDict(rig.viaIngress("/announce?" + announceQuery(hashes[i], peerId(p), 7300 + p, 0, "")));
            }
        }
        StringBuilder pipelined = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            pipelined.append("GET /announce?").append(announceQuery(hashes[i], peerId(50), 7400, 10, ""))
                    .append(" HTTP/1.1\r\nHost: t\r\n\r\n");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", rig.ingressPort(0)), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(pipelined.toString().getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 3; i++) {
                Raw answer = Raw.read(s.getInputStream());
                assertThat(answer.status).isEqualTo(200);
                assertThat(dict(answer.body).get("complete")).as("answer " + i).isEqualTo((long) seeders[i]);
            }
        }
    }

    @Test
    void hostileRequestsGetTheShardsErrors() throws Exception {
        byte[] hash = rig.hashOf(0, LABELS.incrementAndGet());
        assertThat(raw("GET /announce?" + "x".repeat(13_000) + " HTTP/1.1\r\nHost: t\r\n\r\n").status).isEqualTo(414);
        assertThat(raw("POST /announce HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").status).isEqualTo(405);
        assertThat(raw("GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n").status).isEqualTo(404);

        assertThat(failure(rawGet("/announce?info_hash=%zz"))).isEqualTo("malformed query");
        assertThat(failure(getDict(rig.viaIngress("/announce?peer_id=x")))).isEqualTo("missing info_hash");
        assertThat(failure(getDict(rig.viaIngress("/announce?info_hash=abc")))).isEqualTo("info_hash must be 20 bytes");
        // Not read by the ingress: the owning shard finds it and its answer is relayed.
        assertThat(failure(rawGet("/announce?" + announceQuery(hash, peerId(1), 6881, 0, "event=%zz"))))
                .isEqualTo("malformed query");
        assertThat(failure(getDict(rig.viaIngress("/announce?" + announceQuery(hash, peerId(1), 70000, 0, "")))))
                .isEqualTo("invalid port");

        StringBuilder many = new StringBuilder("/scrape?");
        for (int i = 0; i < 129; i++) {
            many.append(i == 0 ? "" : "&").append("info_hash=").append(pct(rig.hashOf(i % 3, 100_000 + i)));
        }
        assertThat(failure(getDict(rig.viaIngress(many.toString())))).isEqualTo("too many info_hash values");
        assertThat(rig.requests("invalid", "all", "error")).isGreaterThanOrEqualTo(3);
        assertThat(rig.requests("announce", "all", "error")).isGreaterThanOrEqualTo(3);
    }

    private static Map<String, Object> rawGet(String target) throws IOException {
        Raw r = raw("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(r.status).isEqualTo(200);
        return dict(r.body);
    }

    private static Raw raw(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", rig.ingressPort(0)), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return Raw.read(s.getInputStream());
        }
    }

    /** An HTTP/1.1 response with a Content-Length, read by hand. */
    record Raw(int status, byte[] body) {
        static Raw read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            int length = 0;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                if (h.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            return new Raw(status, in.readNBytes(length));
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("closed mid-line");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }
}
