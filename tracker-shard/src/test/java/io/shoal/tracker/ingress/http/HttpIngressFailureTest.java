package io.shoal.tracker.ingress.http;

import static io.shoal.tracker.ingress.http.HttpIngressTest.failure;
import static io.shoal.tracker.ingress.http.HttpIngressTest.getDict;
import static io.shoal.tracker.ingress.http.HttpIngressTest.peerId;
import static io.shoal.tracker.testing.TrackerRequests.announceQuery;
import static io.shoal.tracker.testing.TrackerRequests.pct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.tracker.testing.LoopbackPorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replicas that fail, behind a real ingress: shard 0 has a live replica and a dead one (nothing listens), shard 1
 * only a dead one, shard 2 only a silent one (accepts connections, never answers).
 */
class HttpIngressFailureTest {
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(1);
    /** Scheduling delay allowed on a busy machine on top of what a bound is about. */
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static ServerSocket silent;
    private static InetSocketAddress dead0;
    private static InetSocketAddress dead1;
    private static InetSocketAddress silentAddress;
    private static IngressRig rig;

    @BeforeAll
    static void start() throws Exception {
        silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        dead0 = new InetSocketAddress("127.0.0.1", LoopbackPorts.freeTcp());
        dead1 = new InetSocketAddress("127.0.0.1", LoopbackPorts.freeTcp());
        silentAddress = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
        rig = IngressRig.start(3, (k, live) -> switch (k) {
            case 0 -> List.of(dead0, live);
            case 1 -> List.of(dead1);
            default -> List.of(silentAddress);
        }, b -> b.forwardTimeout(FORWARD_TIMEOUT).fullScrapeRefresh(Duration.ofMillis(1)));
    }

    @AfterAll
    static void stop() throws Exception {
        rig.close();
        silent.close();
    }

    @Test
    void aDeadReplicaIsReportedAndTheLiveOneServes() throws Exception {
        for (int i = 0; i < 6; i++) {
            Map<String, Object> a = getDict(rig.viaIngress("/announce?"
                    + announceQuery(rig.hashOf(0, 500 + i), peerId(1), 6881, 0, "")));
            assertThat(failure(a)).as("announce " + i).isNull();
            assertThat(a.get("complete")).isEqualTo(1L);
        }
        assertThat(rig.routes.failed).contains(dead0);
        assertThat(rig.requests("announce", "0", "ok")).isEqualTo(6);
    }

    @Test
    void aShardWithOnlyADeadReplicaFailsAtOnceWithAReason() throws Exception {
        long start = System.nanoTime();
        Map<String, Object> a = getDict(rig.viaIngress("/announce?" + announceQuery(rig.hashOf(1, 1), peerId(1), 6881, 0, "")));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failure(a)).isEqualTo("tracker shard unavailable");
        // "unavailable", not "timed out": the refused connection ended it, not the deadline. The bound only says
        // that it ended (generous, as the machine may be busy).
        assertThat(took).isLessThan(SLACK);
        assertThat(rig.routes.failed).contains(dead1);
        // With no healthy replica left the routes give none, and the answer is the same.
        assertThat(failure(getDict(rig.viaIngress("/announce?" + announceQuery(rig.hashOf(1, 2), peerId(1), 6881, 0, "")))))
                .isEqualTo("tracker shard unavailable");
        assertThat(rig.requests("announce", "1", "error")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSilentReplicaTimesOutWithinTheForwardTimeout() throws Exception {
        rig.routes.failed.remove(silentAddress);
        long start = System.nanoTime();
        Map<String, Object> a = getDict(rig.viaIngress("/announce?" + announceQuery(rig.hashOf(2, 1), peerId(1), 6881, 0, "")));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failure(a)).isEqualTo("tracker shard timed out");
        // The client's answer is written as the deadline's promise completes; the report to the routes follows it
        // on the same call, so on a busy machine it can land a moment after the client has read its answer.
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(rig.routes.failed).contains(silentAddress));
        assertThat(took).isGreaterThanOrEqualTo(FORWARD_TIMEOUT.minusMillis(50)).isLessThan(FORWARD_TIMEOUT.plus(SLACK));
        assertThat(rig.requests("announce", "2", "timeout")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aScrapeTouchingAFailingShardFailsAsAWhole() throws Exception {
        rig.routes.failed.remove(silentAddress);
        String query = "info_hash=" + pct(rig.hashOf(0, 900)) + "&info_hash=" + pct(rig.hashOf(2, 900));
        long start = System.nanoTime();
        Map<String, Object> s = getDict(rig.viaIngress("/scrape?" + query));
        assertThat(failure(s)).isEqualTo("tracker shard timed out");
        assertThat(s).doesNotContainKey("files");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FORWARD_TIMEOUT.plus(SLACK));

        Map<String, Object> full = getDict(rig.viaIngress("/scrape"));
        assertThat(failure(full)).isIn("tracker shard timed out", "tracker shard unavailable");
        assertThat(rig.requests("full_scrape", "all", "ok")).isZero();
    }
}
