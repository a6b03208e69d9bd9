package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.id20;
import static io.shoal.tracker.server.HttpAnnounces.announceQuery;
import static io.shoal.tracker.server.HttpAnnounces.get;
import static io.shoal.tracker.server.HttpAnnounces.getDict;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.tracker.protocol.AnnounceEvent;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The admin port of a real shard: probes, Prometheus text and the JSON summary agreeing with it. */
class AdminServerTest {
    private static final Pattern REQUESTS = Pattern.compile(
            "^shoal_requests_total\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @Test
    void healthAndReadiness() throws Exception {
        try (TestShard shard = TestShard.start()) {
            HttpResponse<byte[]> health = get(shard.admin("/healthz"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(new String(health.body(), StandardCharsets.UTF_8)).isEqualTo("ok\n");
            assertThat(get(shard.admin("/readyz")).statusCode()).isEqualTo(200);
            assertThat(get(shard.admin("/nothing")).statusCode()).isEqualTo(404);

            // A store that cannot serve makes the shard unready while it stays alive.
            shard.store.close();
            HttpResponse<byte[]> ready = get(shard.admin("/readyz"));
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(new String(ready.body(), StandardCharsets.UTF_8)).contains("store unavailable");
            assertThat(get(shard.admin("/healthz")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void metricsExposeRequestCountersGaugesAndHistograms() throws Exception {
        try (TestShard shard = TestShard.start()) {
            getDict(shard.http("/announce?" + announceQuery(id20(1), id20(2), 6881, 0, "")));
            HttpResponse<byte[]> r = get(shard.admin("/metrics"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            String text = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(requestCounts(text))
                    .containsEntry("http/announce/ok", 1L)
                    .containsEntry("udp/connect/ok", 0L)
                    .containsEntry("http/full_scrape/refused", 0L)
                    .doesNotContainKey("udp/full_scrape/ok");
            assertThat(text).containsPattern("(?m)^shoal_torrents(\\{\\})? 1\\.0$");
            assertThat(text).containsPattern("(?m)^shoal_peers(\\{\\})? 1\\.0$");
            assertThat(text).contains("shoal_request_duration_seconds_bucket{");
            assertThat(text).contains("jvm_memory_used_bytes");
            assertThat(text).contains("process_cpu_usage");
        }
    }

    @Test
    void storeRefusalsAreCountedAsRefusedNotAsErrors() throws Exception {
        try (TestShard shard = TestShard.start(b -> b.maxTorrents(1));
             UdpTestClient udp = new UdpTestClient(shard.udp(TestShard.V4))) {
            getDict(shard.http("/announce?" + announceQuery(id20(1), id20(2), 6881, 0, "")));
            Map<String, Object> refused = getDict(shard.http("/announce?" + announceQuery(id20(3), id20(2), 6881, 0, "")));
            assertThat(refused).containsOnlyKeys("failure reason");
            long id = udp.connect();
            java.nio.ByteBuffer r = udp.roundTrip(UdpTestClient.announce(id, 5, id20(4), id20(2), 0,
                    AnnounceEvent.STARTED, -1, 6001));
            assertThat(UdpTestClient.errorText(r, 5)).isNotBlank();

            Map<String, Long> counts = requestCounts(new String(get(shard.admin("/metrics")).body(), StandardCharsets.UTF_8));
            assertThat(counts)
                    .containsEntry("http/announce/ok", 1L)
                    .containsEntry("http/announce/refused", 1L)
                    .containsEntry("http/announce/error", 0L)
                    .containsEntry("udp/announce/refused", 1L)
                    .containsEntry("udp/announce/error", 0L);
        }
    }

    @Test
    void statsReadTheSameNumbersAsMetrics() throws Exception {
        try (TestShard shard = TestShard.start();
             UdpTestClient udp = new UdpTestClient(shard.udp(TestShard.V4))) {
            long id = udp.connect();
            udp.announce(id, id20(7), id20(8), 0, AnnounceEvent.STARTED, -1, 6001);
            udp.announce(id, id20(9), id20(8), 10, AnnounceEvent.STARTED, -1, 6001);
            udp.send(new byte[] {1, 2, 3});
            getDict(shard.http("/announce?" + announceQuery(id20(7), id20(10), 6002, 10, "")));
            getDict(shard.http("/announce?info_hash=bad&peer_id=x&port=1"));
            getDict(shard.http("/scrape"));
            get(shard.http("/scrape"));
            org.awaitility.Awaitility.await().until(() ->
                    shard.runtime.metrics().requests(TrackerMetrics.Protocol.UDP, TrackerMetrics.Kind.INVALID,
                            TrackerMetrics.Result.DROPPED) == 1);

            Map<String, Long> fromMetrics = requestCounts(
                    new String(get(shard.admin("/metrics")).body(), StandardCharsets.UTF_8));
            JsonNode stats = new ObjectMapper().readTree(get(shard.admin("/stats")).body());

            Map<String, Long> fromStats = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> p = stats.get("requests").fields(); p.hasNext(); ) {
                Map.Entry<String, JsonNode> protocol = p.next();
                for (Iterator<Map.Entry<String, JsonNode>> k = protocol.getValue().fields(); k.hasNext(); ) {
                    Map.Entry<String, JsonNode> kind = k.next();
                    for (Iterator<Map.Entry<String, JsonNode>> r = kind.getValue().fields(); r.hasNext(); ) {
                        Map.Entry<String, JsonNode> result = r.next();
                        fromStats.put(protocol.getKey() + "/" + kind.getKey() + "/" + result.getKey(),
                                result.getValue().asLong());
                    }
                }
            }
            assertThat(fromStats).isEqualTo(fromMetrics);
            assertThat(fromStats).containsEntry("udp/connect/ok", 1L)
                    .containsEntry("udp/announce/ok", 2L)
                    .containsEntry("udp/invalid/dropped", 1L)
                    .containsEntry("http/announce/ok", 1L)
                    .containsEntry("http/announce/error", 1L)
                    .containsEntry("http/full_scrape/ok", 1L)
                    .containsEntry("http/full_scrape/refused", 1L);
            assertThat(stats.get("torrents").asLong()).isEqualTo(2);
            assertThat(stats.get("peers").asLong()).isEqualTo(3);
            assertThat(stats.get("seeders").asLong()).isEqualTo(1);
            assertThat(stats.get("leechers").asLong()).isEqualTo(2);
            assertThat(stats.get("ready").asBoolean()).isTrue();
            assertThat(stats.get("uptime_seconds").asLong()).isNotNegative();
        }
    }

    /** "protocol/kind/result" -> value of every shoal_requests_total series. */
    static Map<String, Long> requestCounts(String prometheusText) {
        Map<String, Long> out = new HashMap<>();
        Matcher m = REQUESTS.matcher(prometheusText);
        while (m.find()) {
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String key = String.join("/", List.of(labels.get("protocol"), labels.get("kind"), labels.get("result")));
            out.put(key, (long) Double.parseDouble(m.group(2)));
        }
        assertThat(out).as("shoal_requests_total series").isNotEmpty();
        return out;
    }
}
