package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.routing.Rebalancer;
import io.shoal.routing.SlotMap;
import io.shoal.routing.SlotRange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A sharded tracker as a person runs it without Kubernetes, started by {@code e2e/local-cluster.sh}: three shards,
 * each on its own redis-server, shard 1 as two replicas (127.0.0.1 and ::1 behind one name), a routing document
 * from {@code routing init}, and the ingress in front. Clients talk only to the ingress.
 *
 * <p>The tests share one cluster (starting one takes most of a minute on a small machine) and run in order:
 * the later ones change the routing and kill a replica.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedClusterIT {
    private static final int SHARDS = 3;
    private static final int REPLICATED = 1;
    private static final Duration UDP_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration SWARM_LIMIT = Duration.ofSeconds(150);
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(240);
    /** How long the ingress may take to notice a changed routing file. */
    private static final Duration ROUTING_SWITCH_WITHIN = Duration.ofSeconds(20);
    private static final long LOAD_SEED = 20_261_121L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static LocalCluster cluster;
    private final Random random = new Random(4242);

    @BeforeAll
    static void startCluster() throws Exception {
        work = Artifacts.workDir("cluster");
        cluster = LocalCluster.start(work, "--shards", Integer.toString(SHARDS), "--replicated-shard",
                Integer.toString(REPLICATED), "--redis");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theRoutingDocumentIsTheOneRoutingInitMade() throws Exception {
        SlotMap map = cluster.routing();
        assertThat(map.epoch()).isEqualTo(1);
        assertThat(map.shardCount()).isEqualTo(SHARDS);
        assertThat(map.shardsWithoutEndpoint()).isEmpty();
        assertThat(map.shards()).allSatisfy(s -> assertThat(s.ranges()).hasSize(1));
        assertThat(map.endpoint(REPLICATED)).startsWith("shoal-shard-" + REPLICATED + ":");
        assertThat(cluster.replicas(REPLICATED)).extracting(LocalCluster.Replica::host)
                .containsExactly("127.0.0.1", "::1");
        assertThat(cluster.ingressStats().path("epoch").asLong()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void announcesForEveryShardLandOnThatShardOverUdpAndHttp() throws Exception {
        SlotMap map = cluster.routing();
        TrackerClient ingress = new TrackerClient(cluster.ingressPort());
        List<byte[]> hashes = new ArrayList<>();
        long[] udpBefore = new long[SHARDS];
        long[] httpBefore = new long[SHARDS];
        for (int k = 0; k < SHARDS; k++) {
            udpBefore[k] = cluster.answered(k, "udp", "announce");
            httpBefore[k] = cluster.answered(k, "http", "announce");
        }
        for (int k = 0; k < SHARDS; k++) {
            byte[] hash = hashOwnedBy(map, k);
            hashes.add(hash);
            byte[] udpReply = ingress.udpAnnounce(hash, peerId("udp", k), 40_100 + k, UDP_TIMEOUT);
            assertThat(udpReply).as("UDP announce for shard %d through the ingress%s", k, cluster.logs()).isNotNull();
            assertThat(ByteBuffer.wrap(udpReply).getInt()).as("UDP action for shard %d: %s", k,
                    new String(udpReply, StandardCharsets.ISO_8859_1)).isEqualTo(1);
            // The HTTP seeder must meet the UDP leecher: both reached the same swarm on the same shard.
            Map<String, Object> httpReply = ingress.announce(hash, peerId("http", k), 40_200 + k, 0, "started");
            assertThat(httpReply).as("HTTP announce for shard %d", k).doesNotContainKey("failure reason");
            assertThat(TrackerClient.peers(httpReply)).containsExactly("127.0.0.1:" + (40_100 + k));
        }
        for (int k = 0; k < SHARDS; k++) {
            assertThat(cluster.answered(k, "udp", "announce") - udpBefore[k]).as("UDP announces on shard %d", k)
                    .isEqualTo(1);
            assertThat(cluster.answered(k, "http", "announce") - httpBefore[k]).as("HTTP announces on shard %d", k)
                    .isEqualTo(1);
        }
        // Asked directly, each shard knows its own swarm and none of the others'.
        for (int j = 0; j < SHARDS; j++) {
            LocalCluster.Replica replica = cluster.replicas(j).get(0);
            Map<String, Object> files = new TrackerClient(replica.host(), replica.port()).scrapeFiles(hashes);
            for (int k = 0; k < SHARDS; k++) {
                long expected = j == k ? 1 : 0;
                assertThat(TrackerClient.complete(files, hashes.get(k))).as("seeders of shard %d's hash on shard %d", k, j)
                        .isEqualTo(expected);
                assertThat(TrackerClient.incomplete(files, hashes.get(k)))
                        .as("leechers of shard %d's hash on shard %d", k, j).isEqualTo(expected);
            }
        }
    }

    @Test
    @Order(3)
    void aScrapeOfHashesOnEveryShardIsSplitAndMergedInOrder() throws Exception {
        SlotMap map = cluster.routing();
        TrackerClient ingress = new TrackerClient(cluster.ingressPort());
        List<byte[]> hashes = new ArrayList<>();
        // Shard order scrambled and one hash with no swarm, so that order and zeros both show.
        for (int k : new int[] {2, 0, 1}) {
            byte[] hash = hashOwnedBy(map, k);
            ingress.announce(hash, peerId("scrape", k), 40_300 + k, 0, "started");
            hashes.add(hash);
        }
        hashes.add(1, hashOwnedBy(map, 1));

        Map<String, Object> files = ingress.scrapeFiles(hashes);
        for (int i : new int[] {0, 2, 3}) {
            assertThat(files).as("merged HTTP scrape has entry %d", i)
                    .containsKey(new String(hashes.get(i), StandardCharsets.ISO_8859_1));
        }
        long[] expectedSeeders = {1, 0, 1, 1};
        for (int i = 0; i < hashes.size(); i++) {
            assertThat(TrackerClient.complete(files, hashes.get(i))).as("HTTP scrape entry %d", i)
                    .isEqualTo(expectedSeeders[i]);
        }

        byte[] reply = ingress.udpScrape(hashes, UDP_TIMEOUT);
        assertThat(reply).as("UDP scrape through the ingress").isNotNull();
        ByteBuffer r = ByteBuffer.wrap(reply);
        assertThat(r.getInt()).as("UDP scrape action").isEqualTo(2);
        assertThat(reply).hasSize(8 + 12 * hashes.size());
        r.getInt();
        for (int i = 0; i < hashes.size(); i++) {
            assertThat(r.getInt()).as("UDP scrape seeders of entry %d", i).isEqualTo((int) expectedSeeders[i]);
            r.getInt();
            assertThat(r.getInt()).as("UDP scrape leechers of entry %d", i).isZero();
        }
    }

    @Test
    @Order(4)
    void realClientsSwarmThroughTheIngressOverUdpAndHttp() throws Exception {
        for (String url : List.of(cluster.udpAnnounceUrl(), cluster.httpAnnounceUrl())) {
            String protocol = url.substring(0, url.indexOf(':'));
            SlotMap map = cluster.routing();
            long[] before = new long[SHARDS];
            for (int k = 0; k < SHARDS; k++) {
                before[k] = cluster.answered(k, protocol, "announce");
            }
            Path dir = work.resolve("swarm-" + protocol);
            ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(Artifacts.python().toString(),
                    Artifacts.swarmScript().toString(), "--tracker", url, "--workdir", dir.toString(),
                    "--size-mib", "2", "--timeout", "90"), work.resolve("swarm-" + protocol + ".log"), SWARM_LIMIT);
            assertThat(outcome.exitCode()).as("swarm.py through %s:%n%s%s", url, outcome.output(), cluster.logs())
                    .isZero();
            JsonNode summary = JSON.readTree(outcome.lastJsonLine());
            assertThat(summary.path("completed").asBoolean()).isTrue();
            assertThat(summary.path("sha256Match").asBoolean()).isTrue();
            assertThat(summary.path("trackerErrors")).isEmpty();
            assertThat(summary.path("downloaderPeersFromTracker").asInt()).isPositive();

            int owner = map.shardOf(HexFormat.of().parseHex(summary.path("infohash").asText()));
            for (int k = 0; k < SHARDS; k++) {
                long delta = cluster.answered(k, protocol, "announce") - before[k];
                if (k == owner) {
                    assertThat(delta).as("%s announces of the swarm on its shard %d", protocol, k)
                            .isGreaterThanOrEqualTo(2);
                } else {
                    assertThat(delta).as("%s announces on shard %d, which does not own the swarm", protocol, k)
                            .isZero();
                }
            }
        }
    }

    @Test
    @Order(5)
    void aRoutingFileChangedUnderLoadSwitchesRoutesWithoutFailedRequests() throws Exception {
        warmUp();
        SlotMap three = cluster.routing();
        String endpointOfLast = three.endpoint(SHARDS - 1);
        ExternalProcess.Running load = loadgen("switch", "40s", "--max-errors", "0", "--max-timeout-ratio", "0.001");
        try {
            switchRoutesUnder(load, three, endpointOfLast);
        } finally {
            load.process().destroyForcibly();
        }
    }

    private static void switchRoutesUnder(ExternalProcess.Running load, SlotMap three, String endpointOfLast)
            throws Exception {
        awaitTraffic(SHARDS - 1);

        // Epoch 2: the last shard is left out, its slots spread over the others.
        SlotMap two = Rebalancer.rebalance(three, SHARDS - 1);
        cluster.writeRouting(two);
        awaitEpoch(two.epoch());
        assertThat(load.isAlive()).as("load still running at the switch").isTrue();
        Thread.sleep(1_000);
        long[] during = window(Duration.ofSeconds(3));
        assertThat(during[SHARDS - 1]).as("requests reaching the shard the map left out").isZero();
        for (int k = 0; k < SHARDS - 1; k++) {
            assertThat(during[k]).as("requests on shard %d after the switch", k).isPositive();
        }

        // Epoch 3: back to three shards; the last one gets slots (and traffic) again.
        SlotMap back = Rebalancer.rebalance(two, SHARDS, k -> endpointOfLast);
        cluster.writeRouting(back);
        awaitEpoch(back.epoch());
        assertThat(load.isAlive()).as("load still running at the second switch").isTrue();
        Thread.sleep(1_000);
        long[] after = window(Duration.ofSeconds(3));
        for (int k = 0; k < SHARDS; k++) {
            assertThat(after[k]).as("requests on shard %d after the second switch", k).isPositive();
        }

        JsonNode report = finish(load, "switch");
        assertThat(report.path("passed").asBoolean()).as("loadgen across two routing switches: %s",
                report.path("failure").asText()).isTrue();
        assertThat(report.path("report").path("load").path("errors").asLong()).isZero();
    }

    @Test
    @Order(6)
    void killingOneOfTwoReplicasKeepsItsSlotsServed() throws Exception {
        SlotMap map = cluster.routing();
        warmUp();
        // Errors are tolerated in this run only: requests in flight to the replica when it dies fail.
        ExternalProcess.Running load = loadgen("kill", "30s", "--max-errors", "1000000", "--max-timeout-ratio", "1");
        try {
            awaitTraffic(REPLICATED);
            LocalCluster.Replica victim = cluster.replicas(REPLICATED).get(0);
            LocalCluster.Replica survivor = cluster.replicas(REPLICATED).get(1);
            long victimBefore = udpRequests(victim);
            long survivorBefore = udpRequests(survivor);
            Thread.sleep(3_000);
            assertThat(udpRequests(victim)).as("the ingress spreads a shard's requests over its replicas: first")
                    .isGreaterThan(victimBefore);
            assertThat(udpRequests(survivor)).as("second replica").isGreaterThan(survivorBefore);

            cluster.kill(victim);
            assertThat(load.isAlive()).as("load still running at the kill").isTrue();
            // The ingress learns of the death through forward timeouts (2 s by default): give it that and a little.
            Thread.sleep(4_000);
            long survivorAfterKill = udpRequests(survivor);
            TrackerClient ingress = new TrackerClient(cluster.ingressPort());
            for (int i = 0; i < 30; i++) {
                byte[] reply = ingress.udpAnnounce(hashOwnedBy(map, REPLICATED), peerId("kill", i), 41_000 + i,
                        UDP_TIMEOUT);
                assertThat(reply).as("UDP announce %d for the replicated shard after the kill", i).isNotNull();
                assertThat(ByteBuffer.wrap(reply).getInt()).as("UDP action of announce %d after the kill: %s", i,
                        new String(reply, StandardCharsets.ISO_8859_1)).isEqualTo(1);
            }
            assertThat(udpRequests(survivor)).as("the survivor serves the shard's slots")
                    .isGreaterThan(survivorAfterKill);
            JsonNode during = finish(load, "kill");
            assertThat(during.path("report").path("load").path("invalid").asLong()).isZero();
        } finally {
            load.process().destroyForcibly();
        }

        // With the replica gone for good, a fresh run must see no failure at all.
        JsonNode after = finish(loadgen("after-kill", "10s", "--max-errors", "0", "--max-timeout-ratio", "0.001"),
                "after-kill");
        assertThat(after.path("passed").asBoolean()).as("loadgen after the kill: %s", after.path("failure").asText())
                .isTrue();
        TrackerClient ingress = new TrackerClient(cluster.ingressPort());
        for (int i = 0; i < 30; i++) {
            Map<String, Object> reply = ingress.announce(hashOwnedBy(map, REPLICATED), peerId("kilh", i), 42_000 + i,
                    0, "started");
            assertThat(reply).as("HTTP announce %d for the replicated shard after the kill", i)
                    .doesNotContainKey("failure reason");
        }
    }

    /** An infohash whose slot {@code map} gives to {@code shard}. */
    private byte[] hashOwnedBy(SlotMap map, int shard) {
        List<SlotRange> ranges = map.shards().get(shard).ranges();
        SlotRange range = ranges.get(random.nextInt(ranges.size()));
        int slot = range.first() + random.nextInt(range.size());
        byte[] hash = new byte[20];
        random.nextBytes(hash);
        hash[0] = (byte) (slot >>> 8);
        hash[1] = (byte) slot;
        assertThat(map.shardOf(hash)).isEqualTo(shard);
        return hash;
    }

    private static byte[] peerId(String tag, int n) {
        String id = "-SH0001-" + tag + "-" + n;
        return (id + "x".repeat(20 - id.length())).substring(0, 20).getBytes(StandardCharsets.US_ASCII);
    }

    /** The load generator's warm-up (every simulated swarm member announces once), run to its end. */
    private static void warmUp() throws Exception {
        ExternalProcess.Outcome outcome = ExternalProcess.run(loadgenCommand("warmup", "--phase", "WARMUP"),
                work.resolve("loadgen-warmup.log"), LOAD_LIMIT);
        assertThat(outcome.exitCode()).as("loadgen warm-up through the ingress:%n%s%s", outcome.output(),
                cluster.logs()).isZero();
    }

    /** The measured phase against the warm tracker, in the background, bounded by {@code duration}. */
    private static ExternalProcess.Running loadgen(String name, String duration, String... thresholds)
            throws Exception {
        List<String> extra = new ArrayList<>(List.of("--phase", "LOAD", "--duration", duration));
        extra.addAll(List.of(thresholds));
        return ExternalProcess.start(loadgenCommand(name, extra.toArray(String[]::new)),
                work.resolve("loadgen-" + name + ".log"));
    }

    private static List<String> loadgenCommand(String name, String... extra) {
        List<String> command = new ArrayList<>(List.of(Artifacts.java().toString(), "-Xmx256m", "-jar",
                Artifacts.jar().toString(), "loadgen", "--host", "127.0.0.1",
                "--port", Integer.toString(cluster.ingressPort()), "--clients", "200", "--torrents", "2000",
                "--peers-per-torrent", "10", "--requests", "100000000", "--window", "32",
                "--seed", Long.toString(LOAD_SEED),
                // longer than the ingress's forward timeout, whose BEP 15 error then arrives first
                "--timeout", "3s", "--warmup-duration", "90s",
                "--json-file", work.resolve("loadgen-" + name + ".json").toString()));
        command.addAll(List.of(extra));
        return command;
    }

    private static JsonNode finish(ExternalProcess.Running load, String name) throws Exception {
        ExternalProcess.Outcome outcome = load.await(LOAD_LIMIT);
        Path json = work.resolve("loadgen-" + name + ".json");
        assertThat(json).as("loadgen %s wrote no report (exit %d):%n%s", name, outcome.exitCode(), outcome.output())
                .exists();
        JsonNode report = JSON.readTree(json.toFile());
        assertThat(outcome.exitCode()).as("loadgen %s: %s%n%s%s", name, report.path("failure").asText(),
                outcome.output(), cluster.logs()).isZero();
        return report;
    }

    /** Waits until {@code shard} answers UDP announces from the running load. */
    private static void awaitTraffic(int shard) throws Exception {
        long start = cluster.answered(shard, "udp", "announce");
        await("load reaching shard " + shard).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.answered(shard, "udp", "announce") > start + 100);
    }

    private static void awaitEpoch(long epoch) {
        await("ingress at epoch " + epoch).atMost(ROUTING_SWITCH_WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.ingressStats().path("epoch").asLong() == epoch);
    }

    /** UDP announces and scrapes answered by each shard during {@code length}. */
    private static long[] window(Duration length) throws Exception {
        long[] before = new long[SHARDS];
        for (int k = 0; k < SHARDS; k++) {
            before[k] = cluster.answered(k, "udp", "announce") + cluster.answered(k, "udp", "scrape");
        }
        Thread.sleep(length.toMillis());
        long[] delta = new long[SHARDS];
        for (int k = 0; k < SHARDS; k++) {
            delta[k] = cluster.answered(k, "udp", "announce") + cluster.answered(k, "udp", "scrape") - before[k];
        }
        return delta;
    }

    private static long udpRequests(LocalCluster.Replica replica) throws Exception {
        JsonNode stats = cluster.stats(replica);
        return ShardProcess.requests(stats, "udp", "announce", "ok") + ShardProcess.requests(stats, "udp", "scrape", "ok");
    }
}
