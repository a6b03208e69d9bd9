package io.shoal.tracker.peers.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.shoal.tracker.peers.PeerStoreException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the store's Lua scripts with EVALSHA. A server that lost its scripts (restarted, SCRIPT FLUSH) answers
 * NOSCRIPT: the script is loaded again (once, however many commands hit it at the same time) and the command
 * retried once.
 */
final class ScriptRunner {

    private final List<LuaScript> scripts;
    private final Map<LuaScript, CompletableFuture<Void>> loading = new ConcurrentHashMap<>();

    ScriptRunner(List<LuaScript> scripts) {
        this.scripts = List.copyOf(scripts);
    }

    /** Arguments of an EVALSHA of the script with the given number of keys; add keys, then values. */
    static CommandArgs<byte[], byte[]> args(LuaScript script, int keyCount) {
        return new CommandArgs<>(ByteArrayCodec.INSTANCE).add(script.sha()).add(keyCount);
    }

    /**
     * Sends the call and maps its decoded reply; every failure completes the result with a PeerStoreException.
     *
     * @param commands connection to use (null: not connected, fails at once)
     * @param output   makes a fresh output (a retry needs a new one)
     * @param mapper   turns the decoded reply into the result; may throw a PeerStoreException
     */
    <T, R> CompletableFuture<R> run(RedisAsyncCommands<byte[], byte[]> commands, LuaScript script,
                                    CommandArgs<byte[], byte[]> args,
                                    Supplier<? extends CommandOutput<byte[], byte[], T>> output,
                                    Function<T, R> mapper) {
        CompletableFuture<R> result = new CompletableFuture<>();
        if (commands == null) {
            result.completeExceptionally(Failures.unavailable());
            return result;
        }
        send(commands, args, output).whenComplete((reply, err) -> {
            if (err == null) {
                complete(result, reply, mapper);
            } else if (Failures.isNoScript(err)) {
                load(commands, script)
                        .thenCompose(loaded -> send(commands, args, output))
                        .whenComplete((retried, err2) -> {
                            if (err2 == null) {
                                complete(result, retried, mapper);
                            } else {
                                result.completeExceptionally(Failures.translate(err2));
                            }
                        });
            } else {
                result.completeExceptionally(Failures.translate(err));
            }
        });
        return result;
    }

    /** Loads every script (after a connect or reconnect). */
    CompletableFuture<Void> loadAll(RedisAsyncCommands<byte[], byte[]> commands) {
        if (commands == null) {
            return CompletableFuture.failedFuture(Failures.unavailable());
        }
        CompletableFuture<?>[] all = scripts.stream().map(s -> load(commands, s)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all);
    }

    /** Loads one script; concurrent callers share one SCRIPT LOAD. */
    CompletableFuture<Void> load(RedisAsyncCommands<byte[], byte[]> commands, LuaScript script) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> inFlight = loading.putIfAbsent(script, started);
        if (inFlight != null) {
            return inFlight;
        }
        commands.scriptLoad(script.body()).whenComplete((sha, err) -> {
            loading.remove(script, started);
            if (err != null) {
                started.completeExceptionally(Failures.translate(err));
            } else if (!new String(script.sha(), StandardCharsets.US_ASCII).equals(sha)) {
                started.completeExceptionally(new IllegalStateException(
                        "Redis digest " + sha + " differs from ours for " + script.name()));
            } else {
                started.complete(null);
            }
        });
        return started;
    }

    /** One EVALSHA, no retry; the future fails with whatever Lettuce reported. */
    static <T> CompletableFuture<T> send(RedisAsyncCommands<byte[], byte[]> commands,
                                                 CommandArgs<byte[], byte[]> args,
                                                 Supplier<? extends CommandOutput<byte[], byte[], T>> output) {
        try {
            return commands.dispatch(CommandType.EVALSHA, output.get(), args).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T, R> void complete(CompletableFuture<R> result, T reply, Function<T, R> mapper) {
        try {
            result.complete(mapper.apply(reply));
        } catch (PeerStoreException e) {
            result.completeExceptionally(e);
        } catch (RuntimeException e) {
            result.completeExceptionally(Failures.translate(e));
        }
    }
}
