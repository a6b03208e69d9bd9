package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.memory.MemoryPeerStore;
import io.shoal.tracker.protocol.AnnounceEvent;
import io.shoal.tracker.testing.RedisServerProcess;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests per CPU-second of the memory store and of the Redis store (Redis's own CPU counted), driven directly
 * through the PeerStore API: 80% announces (numwant 50) / 20% single-hash scrapes over a preloaded set of torrents.
 * The CPU of this JVM includes the request generator, the same for both stores. A main, not a test: bounded by a
 * request count and a deadline, and it asserts nothing.
 *
 * <p>Run (after {@code mvn -o -q -pl tracker-shard -am package -DskipTests}):
 * {@code java -cp tracker-shard/target/shoal-tracker.jar:tracker-shard/target/test-classes
 * io.shoal.tracker.peers.redis.StoreThroughputMeasurement [torrents] [peersPerTorrent] [requests]};
 * {@code -Dshoal.stores=redis} measures one store only, {@code -Dshoal.redisArgs="--latency-tracking no"} passes
 * options to redis-server, {@code -Dshoal.commandstats=true} prints Redis's command statistics afterwards.
 */
public final class StoreThroughputMeasurement {

    private static final int IN_FLIGHT = 512;
    private static final long DEADLINE_MINUTES = 10;

    private StoreThroughputMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int torrents = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int peersPerTorrent = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        PeerStoreConfig config = PeerStoreConfig.defaults();

        String stores = System.getProperty("shoal.stores", "memory,redis");
        if (stores.contains("memory")) {
            try (PeerStore memory = new MemoryPeerStore(config)) {
                run("memory", memory, null, torrents, peersPerTorrent, requests);
            }
        }
        if (!stores.contains("redis")) {
            return;
        }
        String redisArgs = System.getProperty("shoal.redisArgs", "").trim();
        String[] extra = redisArgs.isEmpty() ? new String[0] : redisArgs.split(" +");
        try (RedisServerProcess redis = RedisServerProcess.startNew(extra);
             RedisPeerStore store = RedisPeerStore.open(redis.uri(), config, RedisStoreOptions.defaults())) {
            run("redis", store, redis, torrents, peersPerTorrent, requests);
        }
    }

    private static void run(String name, PeerStore store, RedisServerProcess redis, int torrents, int peersPerTorrent,
                            int requests) throws Exception {
        Load load = new Load(torrents, peersPerTorrent);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(DEADLINE_MINUTES);
        for (int t = 0; t < torrents; t++) {
            for (int p = 0; p < peersPerTorrent; p++) {
                load.submit(store, load.announce(t, p, 0), deadline);
            }
        }
        load.drain(deadline);
        load.mix(store, requests / 5, deadline); // warm-up

        double jvm0 = jvmCpuSeconds();
        double redis0 = redis == null ? 0 : redisCpuSeconds(redis);
        long wall0 = System.nanoTime();
        load.mix(store, requests, deadline);
        double wall = (System.nanoTime() - wall0) / 1e9;
        double jvm = jvmCpuSeconds() - jvm0;
        double server = redis == null ? 0 : redisCpuSeconds(redis) - redis0;
        System.out.printf("%-6s %d requests (80%% announce numwant 50, 20%% scrape) over %d torrents x %d peers: "
                        + "%.0f req/s wall; CPU s: jvm %.2f + redis %.2f = %.2f; %.0f req per CPU-second; %d failed%n",
                name, requests, torrents, peersPerTorrent, requests / wall, jvm, server, jvm + server,
                requests / (jvm + server), load.failures.get());
        if (redis != null && Boolean.getBoolean("shoal.commandstats")) {
            System.out.println(redis.commandText("INFO", "commandstats"));
            System.out.printf("redis cpu user %s sys %s%n",
                    redis.info("cpu", "used_cpu_user"), redis.info("cpu", "used_cpu_sys"));
        }
    }

    private static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static double redisCpuSeconds(RedisServerProcess redis) {
        return Double.parseDouble(redis.info("cpu", "used_cpu_user"))
                + Double.parseDouble(redis.info("cpu", "used_cpu_sys"));
    }

    /** Generates the requests and keeps at most IN_FLIGHT outstanding. */
    private static final class Load {
        final int torrents;
        final int peersPerTorrent;
        final byte[][] hashes;
        final Random random = new Random(7);
        final Semaphore window = new Semaphore(IN_FLIGHT);
        final AtomicLong failures = new AtomicLong();

        Load(int torrents, int peersPerTorrent) {
            this.torrents = torrents;
            this.peersPerTorrent = peersPerTorrent;
            this.hashes = new byte[torrents][20];
            for (byte[] h : hashes) {
                random.nextBytes(h);
            }
        }

        PeerAnnounce announce(int torrent, int peer, int numwant) {
            int id = torrent * peersPerTorrent + peer;
            byte[] ip = {10, (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
            byte[] peerId = new byte[20];
            peerId[0] = (byte) id;
            return new PeerAnnounce(hashes[torrent], ip, 6881, peerId, peer % 3 == 0, AnnounceEvent.NONE, numwant,
                    PeerFamilies.V4, false);
        }

        void mix(PeerStore store, int count, long deadline) throws InterruptedException {
            for (int i = 0; i < count; i++) {
                int t = random.nextInt(torrents);
                if (random.nextInt(5) == 0) {
                    submit(store, List.of(hashes[t]), deadline);
                } else {
                    submit(store, announce(t, random.nextInt(peersPerTorrent), 50), deadline);
                }
            }
            drain(deadline);
        }

        void submit(PeerStore store, Object request, long deadline) throws InterruptedException {
            if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("deadline passed");
            }
            @SuppressWarnings("unchecked")
            CompletionStage<?> stage = request instanceof PeerAnnounce a ? store.announce(a)
                    : store.scrape((List<byte[]>) request);
            stage.whenComplete((r, e) -> {
                if (e != null) {
                    failures.incrementAndGet();
                }
                window.release();
            });
        }

        void drain(long deadline) throws InterruptedException {
            if (!window.tryAcquire(IN_FLIGHT, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("deadline passed");
            }
            window.release(IN_FLIGHT);
        }
    }
}
