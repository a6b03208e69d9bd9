package io.shoal.tracker.peers.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.protocol.CommandArgs;
import io.shoal.routing.Slots;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.SwarmCounts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Sends scrapes to Redis: the scrape script counts the torrents of one or several scrapes in one call. Scrapes
 * that arrive while {@link #MAX_CALLS_IN_FLIGHT} calls are on their way wait and go together (see
 * {@link GroupCommit}), so that under load many scrapes share one EVALSHA.
 */
final class Scraper {

    /** Script calls on their way at once; more scrapes wait and go together. */
    static final int MAX_CALLS_IN_FLIGHT = 2;
    /** Torrents per script call (plus at most one scrape's): bounds how long one call holds Redis. */
    static final int MAX_HASHES_PER_CALL = 256;

    private final LuaScript script;
    private final ScriptRunner scripts;
    private final PeerStoreConfig config;
    private final KeptTorrents kept;
    private final Supplier<RedisAsyncCommands<byte[], byte[]>> connection;
    private final GroupCommit<Scrape> commits;

    Scraper(LuaScript script, ScriptRunner scripts, PeerStoreConfig config, RedisStoreOptions options,
            KeptTorrents kept, Supplier<RedisAsyncCommands<byte[], byte[]>> connection) {
        this.script = script;
        this.scripts = scripts;
        this.config = config;
        this.kept = kept;
        this.connection = connection;
        this.commits = new GroupCommit<>(MAX_CALLS_IN_FLIGHT, MAX_HASHES_PER_CALL, options.requestQueueSize(),
                2 * options.commandTimeout().toNanos(), this::send);
    }

    /** Counts of 20-byte infohashes (at most {@link #MAX_HASHES_PER_CALL}), in order. */
    CompletableFuture<List<SwarmCounts>> scrape(List<byte[]> infoHashes) {
        Scrape s = new Scrape(infoHashes);
        commits.submit(s);
        return s.result;
    }

    private CompletableFuture<Void> send(List<Scrape> batch) {
        int hashes = 0;
        for (Scrape s : batch) {
            hashes += s.size();
        }
        CommandArgs<byte[], byte[]> args = ScriptRunner.args(script, hashes);
        for (Scrape s : batch) {
            for (byte[] ih : s.infoHashes) {
                args.addKey(RedisKeys.torrentPrefix(ih));
            }
        }
        args.add(config.clock().millis()).add(config.downloadsRetention().toMillis());
        for (Scrape s : batch) {
            for (byte[] ih : s.infoHashes) {
                args.addValue(ih);
            }
        }
        int expected = 3 * hashes;
        CompletableFuture<Void> answered = new CompletableFuture<>();
        scripts.run(connection.get(), script, args, () -> new CountsOutput(expected), counts -> {
            if (counts.length != expected) {
                throw new IllegalStateException("scrape reply has " + counts.length + " of " + expected + " counts");
            }
            return counts;
        }).whenComplete((counts, failure) -> {
            if (failure != null) {
                batch.forEach(s -> s.fail(failure));
                commits.failWaiting(failure);
            } else {
                int at = 0;
                for (Scrape s : batch) {
                    s.result.complete(s.counted(counts, at));
                    at += 3 * s.size();
                }
            }
            answered.complete(null);
        });
        return answered;
    }

    /** One scrape on its way. */
    private final class Scrape implements GroupCommit.Request {
        final CompletableFuture<List<SwarmCounts>> result = new CompletableFuture<>();
        private final long queuedAt = System.nanoTime();
        private final List<byte[]> infoHashes;

        Scrape(List<byte[]> infoHashes) {
            this.infoHashes = infoHashes;
        }

        /** Its counts, from its part of the reply starting at {@code from}. */
        List<SwarmCounts> counted(long[] counts, int from) {
            List<SwarmCounts> out = new ArrayList<>(infoHashes.size());
            for (int i = 0; i < infoHashes.size(); i++) {
                long s = counts[from + 3 * i];
                long l = counts[from + 3 * i + 1];
                long d = counts[from + 3 * i + 2];
                if (s == 0 && l == 0 && d > 0) {
                    kept.mark(Slots.of(infoHashes.get(i)));
                }
                out.add(s == 0 && l == 0 && d == 0 ? SwarmCounts.EMPTY : new SwarmCounts((int) s, (int) l, d));
            }
            return out;
        }

        @Override
        public long queuedAt() {
            return queuedAt;
        }

        @Override
        public int size() {
            return infoHashes.size();
        }

        @Override
        public void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }
    }
}
