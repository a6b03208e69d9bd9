package io.shoal.tracker.peers.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.protocol.CommandArgs;
import io.shoal.routing.Slots;
import io.shoal.tracker.peers.StoreStats;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.peers.TorrentVisitor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Walks every torrent of the store without KEYS and without any long blocking command: SCAN finds the slot
 * indexes, SSCAN pages through each, and the walk script counts (and purges, and tidies the index of) a bounded
 * batch of torrents per call. A few indexes are walked at a time on the background connection; the visitor
 * sees one index's torrents after another, never concurrently. Torrents kept peerless for their download count
 * are walked (their retention may end) but neither visited nor counted in the stats; they are counted apart, as
 * they hold places under the torrent limit, and their slots are told to {@link KeptTorrents}.
 */
final class SlotWalker {

    private static final byte[] INDEX_PATTERN = RedisKeys.INDEX_PATTERN.getBytes(StandardCharsets.US_ASCII);
    /** Indexes walked at the same time: enough to hide round trips, few enough to stay a background load. */
    private static final int CONCURRENT_INDEXES = 8;

    private final Supplier<RedisAsyncCommands<byte[], byte[]>> connection;
    private final ScriptRunner scripts;
    private final LuaScript walkScript;
    private final Clock clock;
    private final long keyTtlMillis;
    private final long retentionMillis;
    private final KeptTorrents kept;
    private final RedisStoreOptions options;
    private final Executor executor;

    SlotWalker(Supplier<RedisAsyncCommands<byte[], byte[]>> connection, ScriptRunner scripts, LuaScript walkScript,
               Clock clock, long keyTtlMillis, long retentionMillis, KeptTorrents kept, RedisStoreOptions options,
               Executor executor) {
        this.connection = connection;
        this.scripts = scripts;
        this.walkScript = walkScript;
        this.clock = clock;
        this.keyTtlMillis = keyTtlMillis;
        this.retentionMillis = retentionMillis;
        this.kept = kept;
        this.options = options;
        this.executor = executor;
    }

    /** What one walk found: the totals over torrents with peers, and how many torrents were kept peerless. */
    record Walked(StoreStats stats, long kept) {
    }

    /** Walks everything; the visitor (may be null) gets each torrent that has peers. Completes with the totals. */
    CompletableFuture<Walked> walk(TorrentVisitor visitor) {
        CompletableFuture<Walked> done = new CompletableFuture<>();
        scanStep(ScanCursor.INITIAL, new Totals(), visitor, done);
        return done;
    }

    private void scanStep(ScanCursor cursor, Totals totals, TorrentVisitor visitor,
                          CompletableFuture<Walked> done) {
        RedisAsyncCommands<byte[], byte[]> commands = connection.get();
        if (commands == null) {
            done.completeExceptionally(Failures.unavailable());
            return;
        }
        ScanArgs args = ScanArgs.Builder.matches(INDEX_PATTERN).limit(options.scanCount());
        CompletableFuture<KeyScanCursor<byte[]>> page;
        try {
            page = commands.scan(cursor, args).toCompletableFuture();
        } catch (RuntimeException e) {
            done.completeExceptionally(Failures.translate(e));
            return;
        }
        page.thenComposeAsync(p -> walkIndexes(indexKeys(p.getKeys()), 0, totals, visitor).thenApply(x -> p), executor)
                .whenComplete((p, err) -> {
                    if (err != null) {
                        done.completeExceptionally(Failures.translate(err));
                    } else if (p.isFinished()) {
                        done.complete(new Walked(totals.stats(), totals.kept));
                    } else {
                        executor.execute(() -> scanStep(p, totals, visitor, done));
                    }
                });
    }

    private static List<byte[]> indexKeys(List<byte[]> keys) {
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            if (RedisKeys.slotOfIndexKey(k) >= 0) {
                out.add(k);
            }
        }
        return out;
    }

    private CompletableFuture<Void> walkIndexes(List<byte[]> keys, int from, Totals totals, TorrentVisitor visitor) {
        if (from >= keys.size()) {
            return CompletableFuture.completedFuture(null);
        }
        int to = Math.min(keys.size(), from + CONCURRENT_INDEXES);
        List<CompletableFuture<List<Counted>>> walks = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            walks.add(walkIndex(keys.get(i), false));
        }
        return CompletableFuture.allOf(walks.toArray(CompletableFuture[]::new)).thenComposeAsync(x -> {
            for (CompletableFuture<List<Counted>> w : walks) {
                for (Counted c : w.join()) {
                    if (!c.hasPeers() && c.counts().downloaded() > 0) {
                        totals.kept++;
                        kept.mark(Slots.of(c.infoHash()));
                    }
                    totals.add(c, visitor);
                }
            }
            return walkIndexes(keys, to, totals, visitor);
        }, executor);
    }

    /** All torrents of one slot index, counted; with {@code recount}, counted from their members. */
    CompletableFuture<List<Counted>> walkIndex(byte[] indexKey, boolean recount) {
        CompletableFuture<List<Counted>> done = new CompletableFuture<>();
        sscanStep(indexKey, recount, ScanCursor.INITIAL, new ArrayList<>(), new HashSet<>(), done);
        return done;
    }

    private void sscanStep(byte[] indexKey, boolean recount, ScanCursor cursor, List<Counted> out,
                           Set<ByteBuffer> seen, CompletableFuture<List<Counted>> done) {
        RedisAsyncCommands<byte[], byte[]> commands = connection.get();
        if (commands == null) {
            done.completeExceptionally(Failures.unavailable());
            return;
        }
        CompletableFuture<ValueScanCursor<byte[]>> page;
        try {
            page = commands.sscan(indexKey, cursor, ScanArgs.Builder.limit(options.scanCount())).toCompletableFuture();
        } catch (RuntimeException e) {
            done.completeExceptionally(Failures.translate(e));
            return;
        }
        page.thenCompose(p -> count(commands, indexKey, recount, fresh(p.getValues(), seen), out).thenApply(x -> p))
                .whenComplete((p, err) -> {
                    if (err != null) {
                        done.completeExceptionally(Failures.translate(err));
                    } else if (p.isFinished()) {
                        done.complete(out);
                    } else {
                        sscanStep(indexKey, recount, p, out, seen, done);
                    }
                });
    }

    /**
     * The infohashes of an SSCAN page of a slot index not {@code seen} on an earlier page (SSCAN may repeat
     * members across pages while the set rehashes), each added to {@code seen}; members that are no infohash
     * are skipped.
     */
    static List<byte[]> fresh(List<byte[]> members, Set<ByteBuffer> seen) {
        List<byte[]> out = new ArrayList<>(members.size());
        for (byte[] m : members) {
            if (m.length == 20 && seen.add(ByteBuffer.wrap(m))) {
                out.add(m);
            }
        }
        return out;
    }

    private CompletableFuture<Void> count(RedisAsyncCommands<byte[], byte[]> commands, byte[] indexKey,
                                          boolean recount, List<byte[]> members, List<Counted> out) {
        if (members.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<List<Counted>>> batches = new ArrayList<>();
        for (int from = 0; from < members.size(); from += options.walkBatch()) {
            batches.add(countBatch(commands, indexKey, recount,
                    members.subList(from, Math.min(members.size(), from + options.walkBatch()))));
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).thenRun(() -> {
            for (CompletableFuture<List<Counted>> b : batches) {
                out.addAll(b.join());
            }
        });
    }

    private CompletableFuture<List<Counted>> countBatch(RedisAsyncCommands<byte[], byte[]> commands, byte[] indexKey,
                                                        boolean recount, List<byte[]> members) {
        long now = clock.millis();
        CommandArgs<byte[], byte[]> args = ScriptRunner.args(walkScript, 2 + 4 * members.size())
                .addKey(indexKey)
                .addKey(RedisKeys.keptKey(RedisKeys.slotOfIndexKey(indexKey)));
        for (byte[] ih : members) {
            byte[][] keys = RedisKeys.torrentKeys(ih);
            args.addKey(keys[0]).addKey(keys[1]).addKey(keys[2]).addKey(keys[3]);
        }
        args.add(now).add(keyTtlMillis).add(recount ? 1 : 0).add(retentionMillis);
        for (byte[] ih : members) {
            args.addValue(ih);
        }
        int expected = 3 * members.size();
        return scripts.run(commands, walkScript, args, () -> new CountsOutput(expected), counts -> {
            if (counts.length != expected) {
                throw new IllegalStateException("walk reply has " + counts.length + " of " + expected + " counts");
            }
            List<Counted> list = new ArrayList<>(members.size());
            for (int i = 0; i < members.size(); i++) {
                list.add(new Counted(members.get(i),
                        new SwarmCounts((int) counts[3 * i], (int) counts[3 * i + 1], counts[3 * i + 2])));
            }
            return list;
        });
    }

    /** One torrent as the walk found it. */
    record Counted(byte[] infoHash, SwarmCounts counts) {
        boolean hasPeers() {
            return counts.seeders() + counts.leechers() > 0;
        }
    }

    /** Sums of one walk; touched by one thread at a time (delivery is sequential). */
    private static final class Totals {
        long torrents;
        long kept;
        long seeders;
        long leechers;

        void add(Counted c, TorrentVisitor visitor) {
            if (!c.hasPeers()) {
                return;
            }
            torrents++;
            seeders += c.counts().seeders();
            leechers += c.counts().leechers();
            if (visitor != null) {
                visitor.torrent(c.infoHash(), c.counts());
            }
        }

        StoreStats stats() {
            return new StoreStats(torrents, seeders + leechers, seeders, leechers);
        }
    }
}
