package io.shoal.tracker.peers.redis;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Lists the existing keys of one slot through its index: SSCAN pages, then pipelined EXISTS. Never KEYS. */
final class SlotKeys {

    private SlotKeys() {
    }

    /**
     * The slot's index key first (when it exists), then its kept set (when it exists), then every existing key of
     * each indexed torrent (kept torrents are indexed too).
     */
    static CompletableFuture<List<String>> list(RedisAsyncCommands<byte[], byte[]> commands, int slot, int scanCount) {
        if (commands == null) {
            return CompletableFuture.failedFuture(Failures.unavailable());
        }
        byte[] index = RedisKeys.indexKey(slot);
        List<String> keys = new ArrayList<>();
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        commands.exists(index).whenComplete((n, err) -> {
            if (err != null) {
                done.completeExceptionally(Failures.translate(err));
            } else if (n == 0) {
                done.complete(keys);
            } else {
                keys.add(RedisKeys.indexKeyName(slot));
                commands.exists(RedisKeys.keptKey(slot)).whenComplete((k, err2) -> {
                    if (err2 != null) {
                        done.completeExceptionally(Failures.translate(err2));
                        return;
                    }
                    if (k > 0) {
                        keys.add(RedisKeys.keptKeyName(slot));
                    }
                    step(commands, index, scanCount, ScanCursor.INITIAL, new HashSet<>(), keys, done);
                });
            }
        });
        return done;
    }

    private static void step(RedisAsyncCommands<byte[], byte[]> commands, byte[] index, int scanCount,
                             ScanCursor cursor, Set<ByteBuffer> seen, List<String> keys,
                             CompletableFuture<List<String>> done) {
        CompletableFuture<ValueScanCursor<byte[]>> page;
        try {
            page = commands.sscan(index, cursor, ScanArgs.Builder.limit(scanCount)).toCompletableFuture();
        } catch (RuntimeException e) {
            done.completeExceptionally(Failures.translate(e));
            return;
        }
        page.thenCompose(p -> existing(commands, p.getValues(), seen, keys).thenApply(x -> p))
                .whenComplete((p, err) -> {
                    if (err != null) {
                        done.completeExceptionally(Failures.translate(err));
                    } else if (p.isFinished()) {
                        done.complete(keys);
                    } else {
                        step(commands, index, scanCount, p, seen, keys, done);
                    }
                });
    }

    private static CompletableFuture<Void> existing(RedisAsyncCommands<byte[], byte[]> commands, List<byte[]> members,
                                                    Set<ByteBuffer> seen, List<String> keys) {
        List<byte[]> candidates = new ArrayList<>();
        for (byte[] ih : SlotWalker.fresh(members, seen)) {
            Collections.addAll(candidates, RedisKeys.torrentKeys(ih));
        }
        List<CompletableFuture<Long>> exists = new ArrayList<>(candidates.size());
        for (byte[] k : candidates) {
            exists.add(commands.exists(k).toCompletableFuture());
        }
        return CompletableFuture.allOf(exists.toArray(CompletableFuture[]::new)).thenRun(() -> {
            for (int i = 0; i < candidates.size(); i++) {
                if (exists.get(i).join() > 0) {
                    keys.add(new String(candidates.get(i), StandardCharsets.US_ASCII));
                }
            }
        });
    }
}
