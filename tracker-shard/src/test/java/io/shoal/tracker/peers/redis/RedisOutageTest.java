package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.PeerStoreException;
import io.shoal.tracker.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.shoal.tracker.peers.redis.Announces.infoHash;
import static io.shoal.tracker.peers.redis.Announces.leecher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/** Redis going away (killed, or hung) and coming back, with a real redis-server process of the test's own. */
class RedisOutageTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** A failure must come within about the command timeout; this leaves room for a busy CI machine. */
    private static final long FAIL_FAST_MILLIS = 2_500;

    private RedisServerProcess redis;
    private RedisPeerStore store;

    @BeforeEach
    void startRedis() {
        redis = RedisServerProcess.startNew();
    }

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.close();
        }
        if (redis.isRunning()) {
            redis.resume(); // in case a test left it frozen
        }
        redis.close();
    }

    private RedisPeerStore open() {
        RedisStoreOptions options = RedisStoreOptions.defaults()
                .withCommandTimeout(COMMAND_TIMEOUT)
                .withConnectTimeout(COMMAND_TIMEOUT)
                .withHealthCheckInterval(Duration.ofMillis(200));
        return RedisPeerStore.open(redis.uri(), PeerStoreConfig.defaults(), options);
    }

    @Test
    void killedRedisFailsRequestsFastAndTheStoreRecoversWhenItIsBack() throws Exception {
        store = open();
        byte[] ih = infoHash(1);
        assertThat(succeeds(store.announce(leecher(ih, 1))).leechers()).isEqualTo(1);

        redis.stop();
        for (int i = 0; i < 5; i++) {
            assertUnavailableFast(store.announce(leecher(ih, 2)));
            assertUnavailableFast(store.scrape(List.of(ih)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !store.isReady());
        assertUnavailableFast(store.fullScrape((h, c) -> { }));
        assertUnavailableFast(store.announce(leecher(ih, 2)));

        redis.start(); // same port, empty, no scripts loaded
        await().atMost(Duration.ofSeconds(15)).until(store::isReady);
        AnnounceResult after = succeeds(store.announce(leecher(ih, 2)));
        assertThat(after.leechers()).as("the restarted Redis kept nothing").isEqualTo(1);
        assertThat(succeeds(store.refreshStats()).peers()).isEqualTo(1);
    }

    @Test
    void hungRedisTimesOutThenFailsAtOnceAndRecoversWhenItAnswersAgain() throws Exception {
        store = open();
        // the class's first connect also loads Netty's native transport: on a busy machine it can outlast the
        // 500 ms connect timeout, and then the store becomes ready from its health check a moment later
        await().atMost(Duration.ofSeconds(10)).until(store::isReady);
        byte[] ih = infoHash(2);
        succeeds(store.announce(leecher(ih, 1)));

        redis.pause();
        try {
            // a burst in flight when Redis hangs: queued ones must not wait behind timed-out ones for long
            long burstStart = System.nanoTime();
            List<CompletionStage<AnnounceResult>> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                burst.add(store.announce(leecher(ih, 100 + i)));
            }
            for (CompletionStage<AnnounceResult> s : burst) {
                assertUnavailableFast(s);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - burstStart))
                    .as("the whole burst failed within a few command timeouts").isLessThan(4 * FAIL_FAST_MILLIS / 2);
            assertUnavailableFast(store.announce(leecher(ih, 2)));
            await().atMost(Duration.ofSeconds(5)).until(() -> !store.isReady());
            long started = System.nanoTime();
            assertUnavailableFast(store.announce(leecher(ih, 3)));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .as("a store known to be unready answers without waiting for Redis")
                    .isLessThan(COMMAND_TIMEOUT.toMillis());
        } finally {
            redis.resume();
        }
        await().atMost(Duration.ofSeconds(10)).until(store::isReady);
        AnnounceResult after = succeeds(store.announce(leecher(ih, 3)));
        assertThat(after.leechers()).as("peer 1 survived; others whose replies timed out may have been applied")
                .isBetween(2, 2_003);
    }

    @Test
    void storeOpenedWhileRedisIsDownConnectsWhenItComesUp() throws Exception {
        redis.stop();
        long started = System.nanoTime();
        store = open();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
        assertThat(store.isReady()).isFalse();
        assertUnavailableFast(store.announce(leecher(infoHash(3), 1)));

        redis.start();
        await().atMost(Duration.ofSeconds(15)).until(store::isReady);
        assertThat(succeeds(store.announce(leecher(infoHash(3), 1))).leechers()).isEqualTo(1);
    }

    private static <T> T succeeds(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void assertUnavailableFast(CompletionStage<?> stage) {
        long started = System.nanoTime();
        try {
            Object value = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
            fail("expected the store to be unavailable, got " + value);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(PeerStoreException.class, p -> {
                assertThat(p.kind()).isEqualTo(PeerStoreException.Kind.UNAVAILABLE);
                assertThat(p.getMessage()).isEqualTo("peer store unavailable");
            });
        } catch (Exception e) {
            fail("the store did not fail in time", e);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(FAIL_FAST_MILLIS);
    }
}
