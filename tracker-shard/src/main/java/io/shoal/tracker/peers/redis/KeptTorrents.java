package io.shoal.tracker.peers.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.protocol.CommandArgs;
import io.shoal.routing.Slots;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Finds a kept (peerless) torrent to give way when a new torrent meets the torrent limit. Kept torrents live in
 * per-slot sets in Redis; this remembers which slots may hold some (one bit per slot, 8 KiB), learned from
 * announce replies and walks, so that an eviction asks Redis about a few likely slots instead of scanning for
 * them. A bit is cleared when Redis says the slot has none left.
 */
final class KeptTorrents {

    /** Slots asked per eviction at most: bounds the time one refused announce can spend looking. */
    static final int MAX_SLOTS_TRIED = 16;

    private final AtomicLongArray maybeKept = new AtomicLongArray(Slots.COUNT / 64);
    private final AtomicInteger cursor = new AtomicInteger();
    private final LuaScript script;
    private final ScriptRunner scripts;
    private final Supplier<RedisAsyncCommands<byte[], byte[]>> connection;

    KeptTorrents(LuaScript script, ScriptRunner scripts, Supplier<RedisAsyncCommands<byte[], byte[]>> connection) {
        this.script = script;
        this.scripts = scripts;
        this.connection = connection;
    }

    /** The slot may hold a kept torrent. */
    void mark(int slot) {
        int word = slot >>> 6;
        long bit = 1L << (slot & 63);
        if ((maybeKept.get(word) & bit) == 0) {
            maybeKept.getAndUpdate(word, w -> w | bit);
        }
    }

    boolean marked(int slot) {
        return (maybeKept.get(slot >>> 6) & (1L << (slot & 63))) != 0;
    }

    private void clear(int slot) {
        long bit = 1L << (slot & 63);
        maybeKept.getAndUpdate(slot >>> 6, w -> w & ~bit);
    }

    /** Removes one kept torrent of some marked slot; completes with whether one was removed. */
    CompletableFuture<Boolean> evictOne() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        tryFrom(nextMarked(cursor.get()), 0, done);
        return done;
    }

    private void tryFrom(int slot, int tried, CompletableFuture<Boolean> done) {
        RedisAsyncCommands<byte[], byte[]> commands = connection.get();
        if (slot < 0 || tried >= MAX_SLOTS_TRIED || commands == null) {
            done.complete(false);
            return;
        }
        CommandArgs<byte[], byte[]> args = ScriptRunner.args(script, 2)
                .addKey(RedisKeys.keptKey(slot))
                .addKey(RedisKeys.indexKey(slot));
        scripts.run(commands, script, args, () -> new CountsOutput(2), r -> r).whenComplete((r, err) -> {
            if (err != null || r.length != 2) {
                done.complete(false);
                return;
            }
            if (r[1] == 0) {
                clear(slot);
            }
            if (r[0] == 1) {
                cursor.set(slot);
                done.complete(true);
            } else {
                tryFrom(nextMarked((slot + 1) % Slots.COUNT), tried + 1, done);
            }
        });
    }

    /** The first marked slot at or after {@code from} (wrapping), or -1 when none is. */
    private int nextMarked(int from) {
        int words = maybeKept.length();
        int word = from >>> 6;
        long bits = maybeKept.get(word) & (-1L << (from & 63));
        for (int i = 0; i <= words; i++) {
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            word = (word + 1) % words;
            bits = maybeKept.get(word);
        }
        return -1;
    }
}
