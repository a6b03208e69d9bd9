package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.id20;
import static io.shoal.tracker.server.HttpAnnounces.announceQuery;
import static io.shoal.tracker.server.HttpAnnounces.dict;
import static io.shoal.tracker.server.HttpAnnounces.get;
import static io.shoal.tracker.server.HttpAnnounces.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.protocol.TrustedProxies;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * X-Forwarded-For over real sockets: a shard trusting 127.0.0.1 (a proxy on loopback) takes the client from the
 * header; from ::1, which it does not trust, and on a shard trusting nobody, the header changes nothing.
 */
class ForwardedClientTest {
    private static final AtomicInteger LABELS = new AtomicInteger(41_000);
    private static TestShard trusting;
    private static TestShard trustingNobody;

    @BeforeAll
    static void start() throws Exception {
        trusting = TestShard.start(b -> b.trustedProxies(TrustedProxies.parse(List.of("127.0.0.1/32"))));
        trustingNobody = TestShard.start();
    }

    @AfterAll
    static void stop() {
        trusting.close();
        trustingNobody.close();
    }

    /** Announces as a seeder on port 6881 through {@code uri}, then returns the peers a second, direct peer gets. */
    private static byte[] peersSeenAfter(TestShard shard, URI firstAnnounce, byte[] hash, String... headers)
            throws Exception {
        HttpResponse<byte[]> first = get(firstAnnounce, headers);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(dict(first.body())).doesNotContainKey("failure reason");
        Map<String, Object> second = dict(get(shard.http("/announce?" + announceQuery(hash, id20(2), 7000, 5, "compact=1")))
                .body());
        return (byte[]) second.get("peers");
    }

    @Test
    void trustedProxyNamesTheClient() throws Exception {
        byte[] hash = id20(LABELS.incrementAndGet());
        byte[] peers = peersSeenAfter(trusting, trusting.http("/announce?" + announceQuery(hash, id20(1), 6881, 0, "")),
                hash, "X-Forwarded-For", "198.51.100.1, 203.0.113.7");
        assertThat(peers).containsExactly(203, 0, 113, 7, 0x1A, (byte) 0xE1);
    }

    @Test
    void untrustedPeerCannotNameAClient() throws Exception {
        byte[] hash = id20(LABELS.incrementAndGet());
        byte[] peers = peersSeenAfter(trusting, trusting.http6("/announce?" + announceQuery(hash, id20(1), 6881, 0, "")),
                hash, "X-Forwarded-For", "203.0.113.7");
        Map<String, Object> dictModel = dict(get(trusting.http("/announce?"
                + announceQuery(hash, id20(3), 7001, 5, "compact=0"))).body());
        assertThat(peers).as("the IPv6 peer is not in the compact IPv4 list, nor is 203.0.113.7").isEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) dictModel.get("peers");
        assertThat(listed).extracting(p -> text(p.get("ip"))).contains("::1").doesNotContain("203.0.113.7");
    }

    @Test
    void shardTrustingNobodyIgnoresTheHeader() throws Exception {
        byte[] hash = id20(LABELS.incrementAndGet());
        byte[] peers = peersSeenAfter(trustingNobody,
                trustingNobody.http("/announce?" + announceQuery(hash, id20(1), 6881, 0, "")),
                hash, "X-Forwarded-For", "203.0.113.7");
        assertThat(peers).containsExactly(127, 0, 0, 1, 0x1A, (byte) 0xE1);
    }

    @Test
    void malformedHeaderFromTrustedProxyIsABencodedFailureAndAddsNoPeer() throws Exception {
        byte[] hash = id20(LABELS.incrementAndGet());
        HttpResponse<byte[]> r = get(trusting.http("/announce?" + announceQuery(hash, id20(1), 6881, 0, "")),
                "X-Forwarded-For", "unknown");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(dict(r.body()).get("failure reason"))).isEqualTo("malformed X-Forwarded-For");
        Map<String, Object> after = dict(get(trusting.http("/scrape?info_hash=" + Bytes.pct(hash))).body());
        Map<?, ?> counts = (Map<?, ?>) ((Map<?, ?>) after.get("files")).values().iterator().next();
        assertThat(counts.get("complete")).isEqualTo(0L);
        assertThat(counts.get("incomplete")).isEqualTo(0L);
    }
}
