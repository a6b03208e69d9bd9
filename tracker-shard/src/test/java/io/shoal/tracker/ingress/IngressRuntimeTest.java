package io.shoal.tracker.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.tracker.ingress.http.HttpIngressSettings;
import io.shoal.tracker.protocol.Bencode;
import io.shoal.tracker.protocol.ConnectionIds;
import io.shoal.tracker.testing.TrackerRequests;
import io.shoal.tracker.server.TransportKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole ingress (routing file, UDP, admin port) in front of two real shards. */
class IngressRuntimeTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThroughTheShardsAndReportsOnTheAdminPort() throws Exception {
        byte[] key = ConnectionIds.randomKey();
        Path file = dir.resolve("routing.json");
        Files.writeString(file, "{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,65535]],\"endpoint\":\"nowhere.invalid:1\"}]}");
        try (TestShards shards = new TestShards(2, key)) {
            UdpIngressSettings udp = new UdpIngressSettings(Duration.ofMillis(500), 1024, key, Duration.ofSeconds(60));
            IngressConfig config = new IngressConfig(List.of("127.0.0.1"), 0, 0, file, null, udp,
                    HttpIngressSettings.builder().build(), Duration.ofMillis(200), Duration.ofMillis(50), 2,
                    TransportKind.AUTO);
            try (IngressRuntime ingress = IngressRuntime.start(config)) {
                int admin = ingress.adminPort();
                assertThat(get(admin, "/healthz").statusCode()).isEqualTo(200);
                HttpResponse<String> unready = get(admin, "/readyz");
                assertThat(unready.statusCode()).isEqualTo(503);
                assertThat(unready.body()).contains("no resolved replica for shard 0");

                Files.writeString(file, shards.evenMap(2).toJson());
                await().atMost(Duration.ofSeconds(5)).until(() -> get(admin, "/readyz").statusCode() == 200);

                try (Bep15Client c = new Bep15Client(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        ingress.udpPort()))) {
                    long id = c.connect();
                    byte[] low = new byte[20];
                    byte[] high = new byte[20];
                    high[0] = (byte) 0xF0;
                    c.announce(id, low, new byte[20], 0, 2, 1);
                    c.announce(id, high, new byte[20], 0, 2, 1);
                }

                // HTTP on the same port number, to the same shards' internal ports, as the same client address
                assertThat(ingress.httpPort()).isEqualTo(ingress.udpPort());
                HttpResponse<byte[]> announce = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ingress.httpPort() + "/announce?" + TrackerRequests.announceQuery(new byte[20], new byte[20],
                        7000, 5, "compact=1"))).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(announce.statusCode()).isEqualTo(200);
                @SuppressWarnings("unchecked")
                java.util.Map<String, Object> reply = (java.util.Map<String, Object>) Bencode.decode(announce.body());
                assertThat(reply.get("complete")).as("the UDP seeder, same shard").isEqualTo(1L);

                JsonNode stats = new ObjectMapper().readTree(get(admin, "/stats").body());
                assertThat(stats.get("epoch").asLong()).isEqualTo(2);
                assertThat(stats.get("ready").asBoolean()).isTrue();
                assertThat(stats.get("shards")).hasSize(2);
                for (int shard = 0; shard < 2; shard++) {
                    JsonNode s = stats.get("shards").get(shard);
                    assertThat(s.get("available").asInt()).isEqualTo(1);
                    assertThat(s.get("udp").get("announce").get("ok").asLong()).isEqualTo(1);
                }
                assertThat(stats.get("unsharded").get("udp").get("connect").get("ok").asLong()).isEqualTo(1);

                String metrics = get(admin, "/metrics").body();
                assertThat(metrics).contains("shoal_ingress_routing_epoch 2.0");
                assertThat(metrics).contains(
                        "shoal_ingress_requests_total{kind=\"announce\",protocol=\"udp\",result=\"ok\",shard=\"1\"} 1.0");
                assertThat(metrics).contains("shoal_ingress_request_duration_seconds_bucket");
                assertThat(metrics).contains(
                        "shoal_ingress_requests_total{kind=\"announce\",protocol=\"http\",result=\"ok\",shard=\"0\"} 1.0");
            }
        }
    }
}
