package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The project's load generator, as its own process, drives the packaged tracker with a bounded UDP load
 * (a warm-up that announces every swarm member, then 200k announces and scrapes or 30 s) and validates every reply;
 * afterwards the tracker's own counters must agree with each other and with what the generator saw.
 */
class SustainedUdpLoadIT {
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(180);
    @RegisterExtension
    static final ShardPerClass SHARD = new ShardPerClass("load");

    @Test
    void everyReplyIsValidAndTheTrackersCountersAgree() throws Exception {
        Path json = SHARD.work().resolve("loadgen.json");
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(Artifacts.java().toString(), "-cp",
                Artifacts.jar().toString(), "io.shoal.tracker.loadgen.LoadgenCommand",
                "--port", Integer.toString(SHARD.shard().port()), "--clients", "1000", "--torrents", "10000",
                "--requests", "200000", "--duration", "30s", "--numwant", "50", "--seed", "7",
                "--max-timeout-ratio", "0.001", "--json-file", json.toString()),
                SHARD.work().resolve("loadgen.log"), LOAD_LIMIT);
        assertThat(outcome.exitCode()).as("loadgen:%n%s%nshard log:%n%s", outcome.output(), SHARD.shard().log())
                .isZero();

        JsonNode report = new ObjectMapper().readTree(json.toFile()).path("report");
        long invalid = 0;
        for (String phase : List.of("connect", "warmup", "load")) {
            invalid += report.path(phase).path("invalid").asLong();
        }
        assertThat(invalid).isZero();
        assertThat(report.path("warmupComplete").asBoolean()).isTrue();
        assertThat(report.path("selfPeersSeen").asLong()).as("a peer never receives itself").isZero();
        long announcesAnswered = report.path("warmup").path("announcesOk").asLong()
                + report.path("load").path("announcesOk").asLong();
        long scrapesAnswered = report.path("load").path("scrapesOk").asLong();
        assertThat(report.path("load").path("sent").asLong()).isPositive();
        assertThat(announcesAnswered).isPositive();

        JsonNode stats = SHARD.shard().stats();
        String metrics = SHARD.shard().metrics();
        assertThat(ShardProcess.requests(stats, "udp", "announce", "ok")).isGreaterThanOrEqualTo(announcesAnswered);
        assertThat(ShardProcess.requests(stats, "udp", "scrape", "ok")).isGreaterThanOrEqualTo(scrapesAnswered);
        assertThat(ShardProcess.requests(stats, "udp", "connect", "ok"))
                .isGreaterThanOrEqualTo(report.path("connect").path("connectsOk").asLong());
        assertThat(ShardProcess.requests(stats, "udp", "invalid", "dropped")).isZero();

        // every request counter /stats shows is the same number /metrics shows
        int compared = 0;
        for (Iterator<Map.Entry<String, JsonNode>> protocols = stats.path("requests").fields(); protocols.hasNext();) {
            Map.Entry<String, JsonNode> protocol = protocols.next();
            for (Iterator<Map.Entry<String, JsonNode>> kinds = protocol.getValue().fields(); kinds.hasNext();) {
                Map.Entry<String, JsonNode> kind = kinds.next();
                for (Iterator<Map.Entry<String, JsonNode>> results = kind.getValue().fields(); results.hasNext();) {
                    Map.Entry<String, JsonNode> result = results.next();
                    double exposed = ShardProcess.sample(metrics, "shoal_requests_total",
                            "protocol=\"" + protocol.getKey() + "\"", "kind=\"" + kind.getKey() + "\"",
                            "result=\"" + result.getKey() + "\"");
                    assertThat((long) exposed).as("%s %s %s", protocol.getKey(), kind.getKey(), result.getKey())
                            .isEqualTo(result.getValue().asLong());
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(12);
        assertThat(stats.path("torrents").asLong()).isPositive().isLessThanOrEqualTo(10000);
    }
}
