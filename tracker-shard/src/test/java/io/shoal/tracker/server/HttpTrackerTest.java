package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.id20;
import static io.shoal.tracker.server.Bytes.pct;
import static io.shoal.tracker.server.HttpAnnounces.announceQuery;
import static io.shoal.tracker.server.HttpAnnounces.dict;
import static io.shoal.tracker.server.HttpAnnounces.get;
import static io.shoal.tracker.server.HttpAnnounces.getDict;
import static io.shoal.tracker.server.HttpAnnounces.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BEP 3/23/7/48 over a real socket against a real shard. */
class HttpTrackerTest {
    private static final AtomicInteger LABELS = new AtomicInteger(5000);
    private static TestShard shard;

    @BeforeAll
    static void start() throws Exception {
        shard = TestShard.start(b -> b.fullScrapeRate(new RateLimit(2, Duration.ofMinutes(1))));
    }

    @AfterAll
    static void stop() {
        shard.close();
    }

    private static byte[] freshHash() {
        return id20(LABELS.incrementAndGet());
    }

    @Test
    void compactAnnounceReturnsOtherPeersAndCounts() throws Exception {
        byte[] hash = freshHash();
        Map<String, Object> first = getDict(shard.http("/announce?" + announceQuery(hash, id20(1), 6881, 0, "event=started")));
        assertThat(first.get("complete")).isEqualTo(1L);
        assertThat((byte[]) first.get("peers")).isEmpty();
        assertThat(first).doesNotContainKey("peers6");

        HttpResponse<byte[]> response = get(shard.http("/announce?" + announceQuery(hash, id20(2), 6882, 100, "compact=1")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
        Map<String, Object> second = dict(response.body());
        assertThat(second.get("complete")).isEqualTo(1L);
        assertThat(second.get("incomplete")).isEqualTo(1L);
        assertThat(second.get("downloaded")).isEqualTo(0L);
        assertThat((Long) second.get("interval")).isBetween(1800L, 1890L);
        assertThat(second.get("min interval")).isEqualTo(900L);
        assertThat((byte[]) second.get("peers")).containsExactly(127, 0, 0, 1, 0x1A, (byte) 0xE1);
    }

    @Test
    void dictionaryModelListsPeerIdsUnlessNoPeerId() throws Exception {
        byte[] hash = freshHash();
        byte[] seederId = id20(11);
        getDict(shard.http("/announce?" + announceQuery(hash, seederId, 7001, 0, "")));

        Map<String, Object> withIds = getDict(shard.http("/announce?" + announceQuery(hash, id20(12), 7002, 5, "compact=0")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> peers = (List<Map<String, Object>>) withIds.get("peers");
        assertThat(peers).hasSize(1);
        assertThat(text(peers.get(0).get("ip"))).isEqualTo("127.0.0.1");
        assertThat(peers.get(0).get("port")).isEqualTo(7001L);
        assertThat((byte[]) peers.get(0).get("peer id")).isEqualTo(seederId);

        Map<String, Object> noIds = getDict(shard.http("/announce?"
                + announceQuery(hash, id20(12), 7002, 5, "compact=0&no_peer_id=1")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> bare = (List<Map<String, Object>>) noIds.get("peers");
        assertThat(bare).hasSize(1);
        assertThat(bare.get(0)).containsOnlyKeys("ip", "port");
    }

    @Test
    void swarmWithBothFamiliesFillsPeersAndPeers6() throws Exception {
        byte[] hash = freshHash();
        getDict(shard.http6("/announce?" + announceQuery(hash, id20(21), 8001, 0, "")));
        getDict(shard.http("/announce?" + announceQuery(hash, id20(22), 8002, 0, "")));
        Map<String, Object> third = getDict(shard.http("/announce?" + announceQuery(hash, id20(23), 8003, 9, "")));
        assertThat((byte[]) third.get("peers")).containsExactly(127, 0, 0, 1, 0x1F, 0x42);
        byte[] six = (byte[]) third.get("peers6");
        assertThat(six).hasSize(18);
        assertThat(Arrays.copyOf(six, 16)).isEqualTo(TestShard.V6.getAddress());
        assertThat((six[16] & 0xFF) << 8 | (six[17] & 0xFF)).isEqualTo(8001);
    }

    @Test
    void stoppedReturnsNoPeersAndLeavesTheSwarm() throws Exception {
        byte[] hash = freshHash();
        getDict(shard.http("/announce?" + announceQuery(hash, id20(31), 9001, 0, "")));
        getDict(shard.http("/announce?" + announceQuery(hash, id20(32), 9002, 3, "")));
        Map<String, Object> stopped = getDict(shard.http("/announce?" + announceQuery(hash, id20(32), 9002, 3, "event=stopped")));
        assertThat((byte[]) stopped.get("peers")).isEmpty();
        Map<String, Object> after = getDict(shard.http("/announce?" + announceQuery(hash, id20(31), 9001, 0, "")));
        assertThat(after.get("incomplete")).isEqualTo(0L);
    }

    @Test
    void announceAndScrapeWorkUnderAnyPathPrefix() throws Exception {
        byte[] hash = freshHash();
        Map<String, Object> a = getDict(shard.http("/0123456789abcdef/announce?" + announceQuery(hash, id20(41), 9101, 0, "")));
        assertThat(a.get("complete")).isEqualTo(1L);
        Map<String, Object> s = getDict(shard.http("/x/y/scrape?info_hash=" + pct(hash)));
        assertThat(files(s)).containsOnlyKeys(latin1(hash));
        assertThat(get(shard.http("/announce/extra?" + announceQuery(hash, id20(41), 9101, 0, ""))).statusCode()).isEqualTo(404);
        assertThat(get(shard.http("/")).statusCode()).isEqualTo(404);
        assertThat(get(shard.http("/xannounce")).statusCode()).isEqualTo(404);
    }

    @Test
    void scrapeReportsCountsPerHash() throws Exception {
        byte[] hash = freshHash();
        byte[] unknown = freshHash();
        getDict(shard.http("/announce?" + announceQuery(hash, id20(51), 9201, 0, "")));
        getDict(shard.http("/announce?" + announceQuery(hash, id20(52), 9202, 8, "")));
        getDict(shard.http("/announce?" + announceQuery(hash, id20(52), 9202, 0, "event=completed")));
        Map<String, Object> s = getDict(shard.http("/scrape?info_hash=" + pct(hash) + "&info_hash=" + pct(unknown)));
        Map<String, Object> files = files(s);
        assertThat(files).containsOnlyKeys(latin1(hash), latin1(unknown));
        assertThat(files.get(latin1(hash))).isEqualTo(Map.of("complete", 2L, "downloaded", 1L, "incomplete", 0L));
        assertThat(files.get(latin1(unknown))).isEqualTo(Map.of("complete", 0L, "downloaded", 0L, "incomplete", 0L));
    }

    @Test
    void scrapeKeepsReportingDownloadsAfterTheLastPeerLeft() throws Exception {
        byte[] hash = freshHash();
        getDict(shard.http("/announce?" + announceQuery(hash, id20(53), 9203, 8, "event=started")));
        getDict(shard.http("/announce?" + announceQuery(hash, id20(53), 9203, 0, "event=completed")));
        Map<String, Object> stopped = getDict(shard.http("/announce?" + announceQuery(hash, id20(53), 9203, 0,
                "event=stopped")));
        assertThat(stopped.get("downloaded")).isEqualTo(1L);
        Map<String, Object> s = getDict(shard.http("/scrape?info_hash=" + pct(hash)));
        assertThat(files(s).get(latin1(hash))).isEqualTo(Map.of("complete", 0L, "downloaded", 1L, "incomplete", 0L));
    }

    @Test
    void scrapeOfAsManyFullyEncodedHashesAsAllowedFitsTheRequestLine() throws Exception {
        List<byte[]> hashes = new java.util.ArrayList<>();
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < 129; i++) {
            byte[] h = freshHash();
            hashes.add(h);
            query.append(i == 0 ? "" : "&").append("info_hash=").append(pct(h));
        }
        getDict(shard.http("/announce?" + announceQuery(hashes.get(127), id20(54), 9204, 0, "")));
        String all128 = query.substring(0, query.lastIndexOf("&info_hash="));
        String target = "/a-passkey-0123456789abcdef0123456789abcdef/scrape?" + all128;
        assertThat(("GET " + target + " HTTP/1.1").length()).as("a long request line").isGreaterThan(9000);

        Map<String, Object> files = files(getDict(shard.http(target)));
        assertThat(files).hasSize(128);
        assertThat(files.get(latin1(hashes.get(127)))).isEqualTo(Map.of("complete", 1L, "downloaded", 0L, "incomplete", 0L));
        assertThat(failureOf("/scrape?" + query)).isEqualTo("too many info_hash values");
    }

    @Test
    void parametersTheTrackerDoesNotReadCannotFailAnAnnounce() throws Exception {
        StringBuilder many = new StringBuilder("supportcrypto=1");
        for (int i = 0; i < 300; i++) {
            many.append("&u").append(i).append("=1");
        }
        try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            for (String extra : List.of("x".repeat(70) + "=1", "trackerid=" + "t".repeat(1100), "key=%ZZ",
                    many.toString(), "corrupt=0&ip=%zz")) {
                RawHttpConnection.Response r = c.get("/announce?" + announceQuery(freshHash(), id20(55), 9205, 0, extra),
                        "HTTP/1.1");
                assertThat(dict(r.body())).as(extra.substring(0, Math.min(40, extra.length()))).containsKey("peers");
            }
            byte[] hash = freshHash();
            RawHttpConnection.Response badHash = c.get("/announce?info_hash=" + pct(hash).substring(3) + "%ZZ&peer_id="
                    + pct(id20(1)) + "&port=1&left=0", "HTTP/1.1");
            assertThat(text(dict(badHash.body()).get("failure reason"))).isEqualTo("malformed query");
            RawHttpConnection.Response badNumwant = c.get("/announce?" + announceQuery(hash, id20(1), 1, 0, "numwant=%G1"),
                    "HTTP/1.1");
            assertThat(text(dict(badNumwant.body()).get("failure reason"))).isEqualTo("malformed query");
        }
    }

    @Test
    void clientMistakesAreAnsweredWithFailureReasons() throws Exception {
        byte[] hash = freshHash();
        assertThat(failureOf("/announce?info_hash=abc&peer_id=" + pct(id20(1)) + "&port=1"))
                .isEqualTo("info_hash must be 20 bytes");
        assertThat(failureOf("/announce?info_hash=" + pct(hash) + "&" + announceQuery(hash, id20(1), 1, 0, "")))
                .isEqualTo("repeated info_hash");
        assertThat(failureOf("/announce?" + announceQuery(hash, id20(1), 70000, 0, ""))).isEqualTo("invalid port");
        assertThat(failureOf("/scrape?info_hash=short")).isNotBlank();
        // Nothing was stored by the failed announces.
        Map<String, Object> s = getDict(shard.http("/scrape?info_hash=" + pct(hash)));
        assertThat(files(s).get(latin1(hash))).isEqualTo(Map.of("complete", 0L, "downloaded", 0L, "incomplete", 0L));
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        byte[] hash = freshHash();
        try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            RawHttpConnection.Response one = c.get("/announce?" + announceQuery(hash, id20(61), 9301, 0, ""), "HTTP/1.1");
            RawHttpConnection.Response two = c.get("/announce?" + announceQuery(hash, id20(62), 9302, 1, ""), "HTTP/1.1");
            assertThat(one.status()).isEqualTo(200);
            assertThat(two.status()).isEqualTo(200);
            assertThat(dict(two.body()).get("complete")).isEqualTo(1L);
            // Pipelined: both requests written before either answer is read; answers come back in order.
            c.send("GET /scrape?info_hash=" + pct(hash) + " HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.read().status()).isEqualTo(404);
        }
    }

    @Test
    void http10KeepsAliveOnlyWhenAsked() throws Exception {
        byte[] hash = freshHash();
        try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            RawHttpConnection.Response one = c.get("/announce?" + announceQuery(hash, id20(71), 9401, 0, ""),
                    "HTTP/1.0", "Connection: keep-alive");
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.header("connection")).isEqualToIgnoringCase("keep-alive");
            RawHttpConnection.Response two = c.get("/scrape?info_hash=" + pct(hash), "HTTP/1.0");
            assertThat(two.status()).isEqualTo(200);
            assertThat(c.closedByServer()).as("HTTP/1.0 without keep-alive closes").isTrue();
        }
    }

    @Test
    void oversizedRequestLineIsRefusedAndTheServerKeepsServing() throws Exception {
        try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            RawHttpConnection.Response r = c.get("/announce?junk=" + "A".repeat(13_000), "HTTP/1.1");
            assertThat(r.status()).isIn(414, 400);
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            RawHttpConnection.Response r = c.get("/scrape", "HTTP/1.1", "X-Big: " + "B".repeat(9000));
            assertThat(r.status()).isIn(431, 400);
        }
        Map<String, Object> ok = getDict(shard.http("/announce?" + announceQuery(freshHash(), id20(81), 9501, 0, "")));
        assertThat(ok.get("complete")).isEqualTo(1L);
    }

    @Test
    void aFragmentInTheRequestTargetIsNotPartOfTheQuery() throws Exception {
        byte[] hash = freshHash();
        try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            RawHttpConnection.Response r = c.get("/announce?" + announceQuery(hash, id20(83), 9503, 0, "") + "#frag&left=9",
                    "HTTP/1.1");
            assertThat(dict(r.body())).containsKey("peers").containsEntry("complete", 1L);
            RawHttpConnection.Response s = c.get("/scrape?info_hash=" + pct(hash) + "#x", "HTTP/1.1");
            assertThat(files(dict(s.body()))).containsOnlyKeys(latin1(hash));
            assertThat(c.get("/announce#?info_hash=" + pct(hash), "HTTP/1.1").body())
                    .as("a query inside the fragment is no query").asString(StandardCharsets.ISO_8859_1)
                    .contains("missing info_hash");
        }
    }

    @Test
    void httpVersionsOtherThan10And11AreRefusedWith505() throws Exception {
        for (String version : List.of("HTTP/9.9", "HTTP/2.0", "HTTP/1.2", "HTTP/0.9")) {
            try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
                c.send("GET /announce?" + announceQuery(freshHash(), id20(82), 9502, 0, "") + " " + version
                        + "\r\nHost: t\r\n\r\n");
                RawHttpConnection.Response r = c.read();
                assertThat(r.status()).as(version).isEqualTo(505);
                assertThat(c.closedByServer()).as(version).isTrue();
            }
        }
    }

    @Test
    void requestBodiesAndOtherMethodsAreRefused() throws Exception {
        try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            c.send("POST /announce HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.read().status()).isEqualTo(413);
        }
        try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            c.send("DELETE /announce HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(405);
        }
    }

    @Test
    void fullScrapeIsServedRawAndGzippedThenRateLimited() throws Exception {
        byte[] hash = freshHash();
        getDict(shard.http("/announce?" + announceQuery(hash, id20(91), 9601, 0, "")));
        try (RawHttpConnection c = new RawHttpConnection("127.0.0.1", shard.runtime.httpPort())) {
            RawHttpConnection.Response raw = c.get("/scrape", "HTTP/1.1");
            assertThat(raw.status()).isEqualTo(200);
            assertThat(raw.header("content-encoding")).isNull();
            assertThat(files(dict(raw.body()))).containsKey(latin1(hash));

            RawHttpConnection.Response zipped = c.get("/tracker/scrape", "HTTP/1.1", "Accept-Encoding: deflate, gzip");
            assertThat(zipped.status()).isEqualTo(200);
            assertThat(zipped.header("content-encoding")).isEqualTo("gzip");
            assertThat(gunzip(zipped.body())).as("the same document, compressed").isEqualTo(raw.body());

            RawHttpConnection.Response limited = c.get("/scrape", "HTTP/1.1");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("retry-after")).isEqualTo("60");
            assertThat(text(dict(limited.body()).get("failure reason"))).isEqualTo(HttpTracker.RATE_LIMITED);
        }
    }

    @Test
    void fullScrapeIsGzippedOnlyWhenTheClientAcceptsIt() throws Exception {
        try (TestShard own = TestShard.start(b -> b.bind("127.0.0.1").fullScrapeRate(new RateLimit(20, Duration.ofMinutes(1))));
             RawHttpConnection c = new RawHttpConnection("127.0.0.1", own.runtime.httpPort())) {
            getDict(own.http("/announce?" + announceQuery(freshHash(), id20(92), 9602, 0, "")));
            for (String refused : List.of("gzip;q=0", "*, gzip;q=0", "identity", "gzip;q=0.1, identity")) {
                RawHttpConnection.Response r = c.get("/scrape", "HTTP/1.1", "Accept-Encoding: " + refused);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("content-encoding")).as(refused).isNull();
                assertThat(files(dict(r.body()))).hasSize(1);
            }
            for (String accepted : List.of("gzip;q=0.5", "*", "br, gzip")) {
                RawHttpConnection.Response r = c.get("/scrape", "HTTP/1.1", "Accept-Encoding: " + accepted);
                assertThat(r.header("content-encoding")).as(accepted).isEqualTo("gzip");
                assertThat(files(dict(gunzip(r.body())))).hasSize(1);
            }
        }
    }

    @Test
    void fullScrapeCanBeTurnedOff() throws Exception {
        try (TestShard off = TestShard.start(b -> b.fullScrape(false).bind("127.0.0.1"))) {
            Map<String, Object> r = getDict(off.http("/scrape"));
            assertThat(text(r.get("failure reason"))).isEqualTo(HttpTracker.FULL_SCRAPE_OFF);
        }
    }

    @Test
    void storeRefusalsBecomeFailureReasons() throws Exception {
        try (TestShard small = TestShard.start(b -> b.maxTorrents(1).bind("127.0.0.1"))) {
            getDict(small.http("/announce?" + announceQuery(freshHash(), id20(1), 6881, 0, "")));
            Map<String, Object> refused = getDict(small.http("/announce?" + announceQuery(freshHash(), id20(1), 6881, 0, "")));
            assertThat(refused).containsOnlyKeys("failure reason");
            assertThat(text(refused.get("failure reason"))).isNotBlank().isNotEqualTo(Failure.INTERNAL_ERROR);
            assertThat(small.runtime.metrics().requests(TrackerMetrics.Protocol.HTTP, TrackerMetrics.Kind.ANNOUNCE,
                    TrackerMetrics.Result.REFUSED)).isEqualTo(1);
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        try (TestShard quick = TestShard.start(b -> b.httpIdleTimeout(Duration.ofMillis(300)).bind("127.0.0.1"));
             RawHttpConnection c = new RawHttpConnection("127.0.0.1", quick.runtime.httpPort())) {
            assertThat(c.get("/scrape", "HTTP/1.1").status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    private static String failureOf(String pathAndQuery) throws Exception {
        HttpResponse<byte[]> r = get(shard.http(pathAndQuery));
        assertThat(r.statusCode()).as("failures are HTTP 200 for BitTorrent clients").isEqualTo(200);
        Map<String, Object> d = dict(r.body());
        assertThat(d).containsOnlyKeys("failure reason");
        return text(d.get("failure reason"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> files(Map<String, Object> scrape) {
        return (Map<String, Object>) scrape.get("files");
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }
}
