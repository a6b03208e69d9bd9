package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.hex;
import static io.shoal.tracker.server.Bytes.id20;
import static io.shoal.tracker.server.Bytes.pct;
import static io.shoal.tracker.server.HttpAnnounces.announceQuery;
import static io.shoal.tracker.server.HttpAnnounces.getDict;
import static io.shoal.tracker.server.HttpAnnounces.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.tracker.protocol.AnnounceEvent;
import io.shoal.tracker.server.TrackerMetrics.Kind;
import io.shoal.tracker.server.TrackerMetrics.Protocol;
import io.shoal.tracker.server.TrackerMetrics.Result;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access list as the running shard applies it: refusals over both protocols and reloads of the file. */
class AccessListReloadTest {
    @TempDir
    Path dir;

    @Test
    void allowModeServesOnlyListedHashesAndFollowsTheFile() throws Exception {
        byte[] listed = id20(1);
        byte[] other = id20(2);
        Path file = dir.resolve("allow.txt");
        Files.writeString(file, "# start\n" + hex(listed) + "\n");
        try (TestShard shard = TestShard.start(b -> b.accessList(file, AccessMode.ALLOW)
                .accessListPoll(Duration.ofMillis(200)))) {
            assertThat(getDict(shard.http("/announce?" + announceQuery(listed, id20(10), 6881, 0, "")))
                    .get("complete")).isEqualTo(1L);
            assertThat(failure(shard, other)).isEqualTo(TrackerService.NOT_ALLOWED);

            try (UdpTestClient udp = new UdpTestClient(shard.udp(TestShard.V4))) {
                long id = udp.connect();
                ByteBuffer r = udp.roundTrip(UdpTestClient.announce(id, 99, other, id20(11), 0,
                        AnnounceEvent.STARTED, -1, 6882));
                assertThat(UdpTestClient.errorText(r, 99)).isEqualTo(TrackerService.NOT_ALLOWED);
            }
            assertThat(shard.runtime.metrics().requests(Protocol.UDP, Kind.ANNOUNCE, Result.REFUSED)).isEqualTo(1);
            assertThat(shard.runtime.metrics().requests(Protocol.HTTP, Kind.ANNOUNCE, Result.REFUSED)).isEqualTo(1);

            // Scrapes of unlisted hashes read as empty; the listed one shows its swarm.
            Map<String, Object> s = getDict(shard.http("/scrape?info_hash=" + pct(listed) + "&info_hash=" + pct(other)));
            assertThat(HttpTrackerTest.files(s).get(HttpTrackerTest.latin1(listed)))
                    .isEqualTo(Map.of("complete", 1L, "downloaded", 0L, "incomplete", 0L));

            // Replace the list: the other hash becomes allowed, the first one not.
            rewrite(file, "bad line\n" + hex(other) + "\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> "ok".equals(announceOutcome(shard, other)));
            assertThat(failure(shard, listed)).isEqualTo(TrackerService.NOT_ALLOWED);

            // A file that disappears keeps the last list.
            Files.delete(file);
            Thread.sleep(600);
            assertThat(announceOutcome(shard, other)).isEqualTo("ok");
            assertThat(failure(shard, listed)).isEqualTo(TrackerService.NOT_ALLOWED);
        }
    }

    @Test
    void denyModeRefusesListedHashes() throws Exception {
        byte[] denied = id20(3);
        Path file = dir.resolve("deny.txt");
        Files.writeString(file, hex(denied) + "\n");
        try (TestShard shard = TestShard.start(b -> b.accessList(file, AccessMode.DENY))) {
            assertThat(failure(shard, denied)).isEqualTo(TrackerService.NOT_ALLOWED);
            assertThat(announceOutcome(shard, id20(4))).isEqualTo("ok");
        }
    }

    @Test
    void aMissingFileAtStartIsAnError() {
        assertThatThrownBy(() -> TestShard.start(b -> b.accessList(dir.resolve("absent.txt"), AccessMode.DENY)))
                .isInstanceOf(NoSuchFileException.class);
    }

    private static void rewrite(Path file, String content) throws Exception {
        Files.writeString(file, content);
        // Make the change visible even on file systems with coarse timestamps.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }

    private static String failure(TestShard shard, byte[] hash) throws Exception {
        Object reason = getDict(shard.http("/announce?" + announceQuery(hash, id20(20), 7000, 0, ""))).get("failure reason");
        assertThat(reason).as("failure reason").isNotNull();
        return text(reason);
    }

    private static String announceOutcome(TestShard shard, byte[] hash) throws Exception {
        Map<String, Object> d = getDict(shard.http("/announce?" + announceQuery(hash, id20(21), 7001, 0, "")));
        return d.containsKey("failure reason") ? text(d.get("failure reason")) : "ok";
    }
}
