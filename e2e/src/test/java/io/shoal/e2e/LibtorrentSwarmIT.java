package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real BitTorrent clients (libtorrent, through Debian's python3-libtorrent) download a file from each other,
 * having found each other only through the packaged tracker: DHT, local discovery, PEX, UPnP and NAT-PMP are off.
 */
class LibtorrentSwarmIT {
    private static final Duration SWARM_LIMIT = Duration.ofSeconds(120);
    @RegisterExtension
    static final ShardPerClass SHARD = new ShardPerClass("swarm");

    @Test
    void clientsMeetThroughTheHttpTracker() throws Exception {
        JsonNode before = SHARD.shard().stats();
        JsonNode summary = swarm(SHARD.shard().httpAnnounceUrl(), "http");
        JsonNode after = SHARD.shard().stats();

        assertThat(summary.path("downloaderPeersFromTracker").asInt()).isPositive();
        // seeder and downloader announced at least once each (started); stopped announces come on top
        assertThat(delta(before, after, "http", "announce", "ok")).isGreaterThanOrEqualTo(2);
        assertThat(delta(before, after, "http", "announce", "error")).isZero();
        assertThat(delta(before, after, "udp", "announce", "ok")).isZero();
    }

    @Test
    void clientsMeetThroughTheUdpTracker() throws Exception {
        JsonNode before = SHARD.shard().stats();
        JsonNode summary = swarm(SHARD.shard().udpAnnounceUrl(), "udp");
        JsonNode after = SHARD.shard().stats();

        assertThat(summary.path("downloaderPeersFromTracker").asInt()).isPositive();
        // libtorrent shares UDP connection ids between the sessions of one process: one connect may serve both
        assertThat(delta(before, after, "udp", "connect", "ok")).isPositive();
        assertThat(delta(before, after, "udp", "announce", "ok")).isGreaterThanOrEqualTo(2);
        assertThat(delta(before, after, "udp", "announce", "error")).isZero();
        assertThat(delta(before, after, "http", "announce", "ok")).isZero();
    }

    private static JsonNode swarm(String trackerUrl, String name) throws Exception {
        Path dir = SHARD.work().resolve(name);
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(Artifacts.python().toString(),
                Artifacts.swarmScript().toString(), "--tracker", trackerUrl, "--workdir", dir.toString(),
                "--size-mib", "3", "--timeout", "60"), SHARD.work().resolve(name + ".log"), SWARM_LIMIT);
        assertThat(outcome.exitCode()).as("swarm.py over %s:%n%s%nshard log:%n%s", trackerUrl, outcome.output(),
                SHARD.shard().log()).isZero();
        JsonNode summary = new ObjectMapper().readTree(outcome.lastJsonLine());
        assertThat(summary.path("completed").asBoolean()).isTrue();
        assertThat(summary.path("sha256Match").asBoolean()).isTrue();
        assertThat(summary.path("trackerErrors")).isEmpty();
        return summary;
    }

    private static long delta(JsonNode before, JsonNode after, String protocol, String kind, String result) {
        return ShardProcess.requests(after, protocol, kind, result)
                - ShardProcess.requests(before, protocol, kind, result);
    }
}
