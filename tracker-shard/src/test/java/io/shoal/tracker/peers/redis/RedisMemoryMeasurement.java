package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.protocol.AnnounceEvent;
import io.shoal.tracker.testing.RedisServerProcess;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what one peer costs in Redis: loads {@code torrents x peersPerTorrent} peers (IPv4, one in three a
 * seeder, random infohashes and ids) through the store's own announce script into a fresh redis-server, and reports
 * the growth of {@code used_memory} per peer. A main, not a test: it takes a while and asserts nothing. Bounded: a
 * fixed number of announces, at most {@link #IN_FLIGHT} at a time, and a deadline.
 *
 * <p>Run: {@code bench/redis-memory.sh [torrents] [peersPerTorrent]} (defaults 100000 and 10).
 */
public final class RedisMemoryMeasurement {

    private static final int IN_FLIGHT = 2_000;
    private static final long DEADLINE_MINUTES = 15;

    private RedisMemoryMeasurement() {
    }

    /** Mean MEMORY USAGE of up to 200 keys matching the pattern (found with one bounded SCAN walk). */
    private static double sampleUsage(RedisServerProcess redis, String pattern) {
        String cursor = "0";
        long total = 0;
        int n = 0;
        for (int calls = 0; calls < 1_000 && n < 200; calls++) {
            List<?> page = (List<?>) redis.commandText("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = (String) page.get(0);
            for (Object key : (List<?>) page.get(1)) {
                if (n < 200) {
                    total += (Long) redis.command("MEMORY", "USAGE", key, "SAMPLES", "0");
                    n++;
                }
            }
            if ("0".equals(cursor)) {
                break;
            }
        }
        return n == 0 ? 0 : total / (double) n;
    }

    public static void main(String[] args) throws Exception {
        int torrents = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int peersPerTorrent = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long peers = (long) torrents * peersPerTorrent;
        try (RedisServerProcess redis = RedisServerProcess.startNew();
             RedisPeerStore store = RedisPeerStore.open(redis.uri(), PeerStoreConfig.defaults(),
                     RedisStoreOptions.defaults().withCommandTimeout(Duration.ofSeconds(10)))) {
            long before = Long.parseLong(redis.info("memory", "used_memory"));
            long started = System.nanoTime();
            long deadline = started + TimeUnit.MINUTES.toNanos(DEADLINE_MINUTES);
            Semaphore window = new Semaphore(IN_FLIGHT);
            AtomicLong failures = new AtomicLong();
            Random random = new Random(42);
            byte[] ih = new byte[20];
            for (int t = 0; t < torrents; t++) {
                random.nextBytes(ih);
                byte[] infoHash = ih.clone();
                for (int p = 0; p < peersPerTorrent; p++) {
                    byte[] ip = new byte[4];
                    random.nextBytes(ip);
                    byte[] id = new byte[20];
                    random.nextBytes(id);
                    PeerAnnounce a = new PeerAnnounce(infoHash, ip, 1024 + random.nextInt(60_000), id,
                            random.nextInt(3) == 0, AnnounceEvent.STARTED, 0, PeerFamilies.V4, false);
                    if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        throw new IllegalStateException("deadline passed while loading");
                    }
                    store.announce(a).whenComplete((r, e) -> {
                        if (e != null) {
                            failures.incrementAndGet();
                        }
                        window.release();
                    });
                }
            }
            if (!window.tryAcquire(IN_FLIGHT, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("deadline passed while finishing");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long after = Long.parseLong(redis.info("memory", "used_memory"));
            long keys = (Long) redis.command("DBSIZE");
            long stored = store.refreshStats().get(5, TimeUnit.MINUTES).peers();
            System.out.printf("redis-server %s, %d torrents x %d peers = %d announces in %.1f s (%d failed)%n",
                    redis.info("server", "redis_version"), torrents, peersPerTorrent, peers, seconds, failures.get());
            System.out.printf("peers stored: %d, keys: %d%n", stored, keys);
            System.out.printf("used_memory: %d -> %d bytes, delta %d bytes%n", before, after, after - before);
            System.out.printf("per peer: %.1f bytes (per torrent: %.1f bytes)%n",
                    (after - before) / (double) stored, (after - before) / (double) torrents);
            System.out.printf("MEMORY USAGE of a sample: IPv4 sorted set %.0f, peer hash %.0f, slot index %.0f bytes%n",
                    sampleUsage(redis, "sh:{*}:*:4"), sampleUsage(redis, "sh:{*}:*:p"),
                    sampleUsage(redis, "sh:{*}:torrents"));
        }
    }
}
