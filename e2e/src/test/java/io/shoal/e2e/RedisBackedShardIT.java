package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.tracker.testing.RedisServerProcess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shards started as processes with {@code --redis} against a real redis-server: the swarm outlives the shard
 * process, two processes on one Redis serve one swarm, and a Redis outage is answered with protocol errors
 * in bounded time and ends by itself.
 */
class RedisBackedShardIT {
    private static final byte[] PEER_A = "-SH0001-aaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEER_B = "-SH0001-bbbbbbbbbbbb".getBytes(StandardCharsets.US_ASCII);
    private static final Duration ERROR_WITHIN = Duration.ofSeconds(3);

    private RedisServerProcess redis;
    private Path work;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServerProcess.startNew();
        work = Artifacts.workDir("redis");
    }

    @AfterEach
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void peersSurviveAShardRestart() throws Exception {
        byte[] torrent = TrackerClient.randomHash();
        try (ShardProcess first = ShardProcess.start(work, "--redis", redis.uri())) {
            new TrackerClient(first.port()).announce(torrent, PEER_A, 40001, 0, "started");
        }
        try (ShardProcess second = ShardProcess.start(work, "--redis", redis.uri())) {
            Map<String, Object> reply = new TrackerClient(second.port()).announce(torrent, PEER_B, 40002, 100, "started");
            assertThat(TrackerClient.peers(reply)).containsExactly("127.0.0.1:40001");
            assertThat(reply.get("complete")).isEqualTo(1L);
            assertThat(reply.get("incomplete")).isEqualTo(1L);
        }
    }

    @Test
    void twoShardProcessesOnOneRedisServeOneSwarm() throws Exception {
        byte[] torrent = TrackerClient.randomHash();
        try (ShardProcess a = ShardProcess.start(work, "--redis", redis.uri());
             ShardProcess b = ShardProcess.start(work, "--redis", redis.uri())) {
            TrackerClient toA = new TrackerClient(a.port());
            TrackerClient toB = new TrackerClient(b.port());
            toA.announce(torrent, PEER_A, 40001, 100, "started");
            Map<String, Object> fromB = toB.announce(torrent, PEER_B, 40002, 0, "started");
            assertThat(TrackerClient.peers(fromB)).containsExactly("127.0.0.1:40001");
            Map<String, Object> fromA = toA.announce(torrent, PEER_A, 40001, 100, null);
            assertThat(TrackerClient.peers(fromA)).containsExactly("127.0.0.1:40002");
            assertThat(toA.scrape(torrent)).isEqualTo(toB.scrape(torrent));

            byte[] udpReply = toB.udpAnnounce(torrent, "-SH0001-cccccccccccc".getBytes(StandardCharsets.US_ASCII),
                    40003, Duration.ofSeconds(5));
            assertThat(udpReply).isNotNull();
            ByteBuffer r = ByteBuffer.wrap(udpReply);
            assertThat(r.getInt()).as("action").isEqualTo(1);
            r.getInt();
            r.getInt();
            assertThat(r.getInt()).as("leechers").isEqualTo(2);
            assertThat(r.getInt()).as("seeders").isEqualTo(1);
            assertThat(udpReply.length).as("two other peers").isEqualTo(20 + 2 * 6);
        }
    }

    @Test
    void redisOutageIsAnsweredWithErrorsInBoundedTimeAndEndsByItself() throws Exception {
        byte[] torrent = TrackerClient.randomHash();
        try (ShardProcess shard = ShardProcess.start(work, "--redis", redis.uri())) {
            TrackerClient client = new TrackerClient(shard.port());
            client.announce(torrent, PEER_A, 40001, 0, "started");

            redis.stop();

            long started = System.nanoTime();
            Map<String, Object> failed = client.announce(torrent, PEER_B, 40002, 100, "started");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ERROR_WITHIN);
            assertThat(TrackerClient.text(failed.get("failure reason"))).isNotBlank();

            started = System.nanoTime();
            byte[] udpReply = client.udpAnnounce(torrent, PEER_B, 40002, ERROR_WITHIN);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ERROR_WITHIN);
            assertThat(udpReply).as("UDP error reply").isNotNull();
            assertThat(ByteBuffer.wrap(udpReply).getInt()).as("action error").isEqualTo(3);

            await().atMost(Duration.ofSeconds(10)).until(() -> shard.get("/readyz").statusCode() == 503);
            assertThat(shard.get("/healthz").statusCode()).isEqualTo(200);

            redis.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> shard.get("/readyz").statusCode() == 200);
            Map<String, Object> reply = client.announce(torrent, PEER_B, 40002, 100, "started");
            assertThat(reply).doesNotContainKey("failure reason");
            assertThat(reply.get("incomplete")).isEqualTo(1L);
        }
    }
}
