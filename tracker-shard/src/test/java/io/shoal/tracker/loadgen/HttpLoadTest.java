package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.peers.memory.MemoryPeerStore;
import io.shoal.tracker.server.ShardConfig;
import io.shoal.tracker.server.ShardRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP mode against real trackers on loopback: the project's shard (keep-alive and close-per-request) and
 * Debian's opentracker, whose two known deviations (the announcer in its own peer list, unsorted scrape keys)
 * must be caught unless allowed. Every run is bounded by its request count and duration.
 */
class HttpLoadTest {
    private static final String[] WORLD = {"--seed", "77", "--clients", "200", "--torrents", "300",
        "--peers-per-torrent", "6", "--base-port", "23000", "--protocol", "HTTP", "--window", "8", "--zipf", "1"};

    @Test
    void everyReplyOfTheShardIsValidWithKeepAliveAndWithCloseAndItsCpuIsMeasured() throws Exception {
        ShardConfig config = ShardConfig.builder().bind("127.0.0.1").port(0).adminPort(0).threads(1).build();
        try (ShardRuntime shard = ShardRuntime.start(config, new MemoryPeerStore(config.peerStoreConfig()))) {
            String port = Integer.toString(shard.httpPort());
            long self = ProcessHandle.current().pid();
            LoadgenRun keepAlive = LoadgenRun.of(concat(WORLD, "--port", port, "--requests", "3000", "--duration",
                    "30s", "--target-pid", Long.toString(self)));
            assertThat(keepAlive.code()).as(keepAlive.output()).isZero();
            LoadReport report = keepAlive.report();
            assertThat(report.warmupComplete()).isTrue();
            assertThat(report.load().sent()).isEqualTo(3000);
            assertThat(report.load().announcesOk() + report.load().scrapesOk()).isEqualTo(3000);
            assertThat(report.load().scrapesOk()).isPositive();
            assertThat(report.peersReceived()).isPositive();
            assertThat(report.load().p50Micros()).isPositive().isLessThanOrEqualTo(report.load().p99Micros());
            assertThat(report.usage().cpuSeconds()).isPositive();
            assertThat(report.usage().rssKiB()).isPositive();

            LoadgenRun close = LoadgenRun.of(concat(WORLD, "--port", port, "--phase", "LOAD", "--http-close",
                    "--requests", "500", "--duration", "30s"));
            assertThat(close.code()).as(close.output()).isZero();
            assertThat(close.report().load().ok()).isEqualTo(500);
            assertThat(close.report().usage()).isNull();
        }
    }

    @Test
    void opentrackerPassesOnlyWithItsDeviationsAllowed(@TempDir Path dir) throws Exception {
        Path hashes = dir.resolve("hashes.txt");
        assertThat(LoadgenRun.of(concat(WORLD, "--write-infohashes", hashes.toString())).code()).isZero();
        Path trackerDir = dir.resolve("opentracker");
        Files.createDirectories(trackerDir);
        try (OpentrackerProcess tracker = OpentrackerProcess.start(trackerDir, Files.readString(hashes))) {
            String port = Integer.toString(tracker.tcpPort());
            LoadgenRun allowed = LoadgenRun.of(concat(WORLD, "--port", port, "--requests", "2000", "--duration",
                    "30s", "--allow-self-peer", "--allow-unsorted-keys", "--target-pid", Long.toString(tracker.pid())));
            assertThat(allowed.code()).as(allowed.output() + tracker.log()).isZero();
            assertThat(allowed.report().load().scrapesOk()).isPositive();
            assertThat(allowed.report().usage().pids()).containsExactly(tracker.pid());

            LoadgenRun strict = LoadgenRun.of(concat(WORLD, "--port", port, "--phase", "LOAD", "--requests", "500",
                    "--allow-self-peer"));
            assertThat(strict.code()).isEqualTo(1);
            assertThat(strict.report().load().invalidReasons()).containsOnlyKeys("NOT_BENCODE");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
