package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against a real, independent tracker: Debian's opentracker. A correct tracker must pass every
 * check; opentracker's one known deviation (it returns the announcer to itself) must be caught unless allowed.
 */
class OpentrackerLoadTest {
    private static final long SEED = 20240601L;
    private static final String[] WORLD = {"--seed", Long.toString(SEED), "--clients", "300", "--torrents", "400",
        "--peers-per-torrent", "8", "--base-port", "21000"};

    @TempDir
    static Path dir;
    private static OpentrackerProcess tracker;

    @BeforeAll
    static void startOpentracker() throws Exception {
        Path hashes = dir.resolve("hashes.txt");
        assertThat(LoadgenRun.of(concat(WORLD, "--write-infohashes", hashes.toString())).code()).isZero();
        Path trackerDir = dir.resolve("opentracker");
        java.nio.file.Files.createDirectories(trackerDir);
        tracker = OpentrackerProcess.start(trackerDir, java.nio.file.Files.readString(hashes));
    }

    @AfterAll
    static void stopOpentracker() throws Exception {
        if (tracker != null) {
            tracker.close();
        }
    }

    @Test
    void everyReplyOfABoundedLoadIsValid() throws Exception {
        LoadgenRun result = LoadgenRun.of(concat(WORLD, "--port", Integer.toString(tracker.udpPort()),
                "--requests", "20000",
                "--duration", "20s", "--allow-self-peer", "--max-timeout-ratio", "0.01"));
        LoadReport report = result.report();
        assertThat(result.code()).as(result.output() + tracker.log()).isZero();
        assertThat(report.totalInvalid()).isZero();
        assertThat(report.connect().connectsOk()).isEqualTo(300);
        assertThat(report.warmupComplete()).isTrue();
        assertThat(report.warmup().announcesOk()).isGreaterThan(report.warmup().sent() * 99 / 100);
        assertThat(report.load().sent()).isEqualTo(20000);
        assertThat(report.load().announcesOk()).isGreaterThan(14000);
        assertThat(report.load().scrapesOk()).isGreaterThan(3000);
        assertThat(report.peersReceived()).isPositive();
        assertThat(result.output()).contains("PASS");
    }

    @Test
    void catchesOpentrackerReturningTheAnnouncerToItself() throws Exception {
        LoadgenRun result = LoadgenRun.of(concat(WORLD, "--port", Integer.toString(tracker.udpPort()),
                "--phase", "LOAD",
                "--requests", "3000", "--json"));
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.report().load().invalidReasons()).containsKey("SELF_PEER");
        assertThat(result.report().load().invalidReasons()).containsOnlyKeys("SELF_PEER");
        assertThat(result.output()).contains("\"passed\" : false");
    }

    @Test
    void catchesRepliesForTorrentsTheTrackerRefuses() throws Exception {
        // another seed: opentracker's whitelist does not list these torrents and it answers with truncated replies
        LoadgenRun result = LoadgenRun.of("--seed", "1", "--clients", "20", "--torrents", "30", "--port",
                Integer.toString(tracker.udpPort()), "--requests", "500", "--allow-self-peer");
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.report().warmup().invalidReasons()).containsKey("BAD_LENGTH");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
