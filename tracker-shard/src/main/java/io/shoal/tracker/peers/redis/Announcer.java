package io.shoal.tracker.peers.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.protocol.CommandType;
import io.shoal.routing.Slots;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.NumwantSplit;
import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.protocol.AnnounceEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Sends announces to Redis. Each announce is one round trip: the announce script (drop expired peers, upsert or
 * remove the announcer, counts), then, on the same connection, in the same write, and so executed right after it,
 * one native ZRANDMEMBER per wanted family; Redis hands native replies out far more cheaply than members passed through Lua.
 * The script picks peers itself only when their ids are wanted (non-compact HTTP replies).
 *
 * <p>Announces that arrive while {@link #MAX_BATCHES_IN_FLIGHT} scripts are already on their way wait and then go
 * together in one script call (group commit, see {@link GroupCommit}): no delay when the store is idle, and under load one EVALSHA, one
 * command to encode and one reply to decode serve many announces. Each announce is still handled on its own and
 * in order inside the script. Waiting is bounded like the connection's own queue: an announce that finds the queue
 * full, or waits when a script failed (Redis gone or hung), or waited twice the command timeout (Redis overloaded:
 * shed load rather than answer late), fails with "peer store unavailable" instead of being sent.
 *
 * <p>A new torrent refused at the torrent limit gets one more try after a kept (peerless) torrent of some slot
 * gave way (see {@link KeptTorrents}); a new peer refused at the peer limit evicts nothing.
 */
final class Announcer {

    static final int STOPPED = 1;
    static final int COMPLETED = 2;
    static final int STORE = 4;
    static final int WANT_IDS = 8;
    static final int ALLOW_NEW_PEER = 16;
    static final int ALLOW_NEW_TORRENT = 32;
    static final int ANNOUNCER_V6 = 64;
    static final int WANT_OWN = 128;
    static final int WANT_OTHER = 256;
    /** More peers than this are never drawn for one announce, whatever numwant says (bounds replies and counts). */
    static final int MAX_NUMWANT = 100_000;
    /** Scripts on their way at once; more announces wait and go together. */
    static final int MAX_BATCHES_IN_FLIGHT = 4;
    /** Announces in one script call: bounds how long one call holds Redis. */
    static final int MAX_BATCH = 64;
    /** The flags take the low bits of the script's per-announce number; numwant is that number over this. */
    static final int NUMWANT_UNIT = 512;

    private final LuaScript script;
    private final ScriptRunner scripts;
    private final PeerStoreConfig config;
    private final StoreTotals totals;
    private final KeptTorrents kept;
    private final Supplier<RedisAsyncCommands<byte[], byte[]>> connection;
    private final long peerTtlMillis;
    /** Constant script arguments, encoded once. */
    private final byte[] keyTtlText;
    private final byte[] ttlRefreshText;
    private final byte[] retentionText;
    private final byte[] downloadsTtlText;
    private final GroupCommit<Call> commits;

    Announcer(LuaScript script, ScriptRunner scripts, PeerStoreConfig config, RedisStoreOptions options,
              StoreTotals totals, KeptTorrents kept, Supplier<RedisAsyncCommands<byte[], byte[]>> connection,
              long keyTtlMillis, long ttlRefreshMillis) {
        this.commits = new GroupCommit<>(MAX_BATCHES_IN_FLIGHT, MAX_BATCH, options.requestQueueSize(),
                2 * options.commandTimeout().toNanos(), batch -> send(batch, false));
        this.script = script;
        this.scripts = scripts;
        this.config = config;
        this.totals = totals;
        this.kept = kept;
        this.connection = connection;
        this.peerTtlMillis = config.peerTtl().toMillis();
        this.keyTtlText = Long.toString(keyTtlMillis).getBytes(StandardCharsets.US_ASCII);
        this.ttlRefreshText = Long.toString(ttlRefreshMillis).getBytes(StandardCharsets.US_ASCII);
        long retentionMillis = config.downloadsRetention().toMillis();
        this.retentionText = Long.toString(retentionMillis).getBytes(StandardCharsets.US_ASCII);
        // while a torrent has peers its download hash lives the retention longer than its peer keys
        this.downloadsTtlText = Long.toString(keyTtlMillis + retentionMillis).getBytes(StandardCharsets.US_ASCII);
    }

    CompletableFuture<AnnounceResult> announce(PeerAnnounce a) {
        return enqueue(new Call(a, false));
    }

    private CompletableFuture<AnnounceResult> enqueue(Call call) {
        commits.submit(call);
        return call.result;
    }

    /** Sends one batch; completes when the script answered (each call completes on its own, after its draws). */
    private CompletableFuture<Void> send(List<Call> batch, boolean retried) {
        RedisAsyncCommands<byte[], byte[]> commands = connection.get();
        if (commands == null) {
            batch.forEach(c -> c.result.completeExceptionally(Failures.unavailable()));
            return CompletableFuture.completedFuture(null);
        }
        CommandArgs<byte[], byte[]> args = ScriptRunner.args(script, batch.size());
        for (Call c : batch) {
            c.addKeys(args);
        }
        // one time for the whole batch: it is when Redis applies it, and encodes once instead of per announce
        long now = config.clock().millis();
        args.addValue(keyTtlText).addValue(ttlRefreshText).add(now).add(now + peerTtlMillis)
                .addValue(retentionText).addValue(downloadsTtlText);
        for (Call c : batch) {
            c.addValues(args);
        }
        int n = batch.size();
        // the script and every draw go to the connection as one write: one hand-over to its I/O thread, not 1 + n
        List<RedisCommand<byte[], byte[], ?>> out = new ArrayList<>(1 + n);
        AnnounceReply[] parts = new AnnounceReply[n];
        for (int i = 0; i < n; i++) {
            parts[i] = batch.get(i).reply();
        }
        AsyncCommand<byte[], byte[], AnnounceReply[]> replies =
                new AsyncCommand<>(new Command<>(CommandType.EVALSHA, new AnnounceOutput(parts), args));
        out.add(replies);
        for (Call c : batch) {
            c.draw(out);
        }
        try {
            commands.getStatefulConnection().dispatch(out);
        } catch (RuntimeException e) {
            out.forEach(command -> command.completeExceptionally(e));
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        replies.whenComplete((r, failure) -> {
            if (failure != null && !retried && Failures.isNoScript(failure)) {
                // the draws ran before the script that drops expired peers: send everything again
                scripts.load(commands, script).whenComplete((ok, loadFailure) -> {
                    if (loadFailure != null) {
                        batch.forEach(c -> c.result.completeExceptionally(Failures.translate(loadFailure)));
                        answered.complete(null);
                    } else {
                        send(batch, true).whenComplete((x, e) -> answered.complete(null));
                    }
                });
                return;
            }
            for (int i = 0; i < n; i++) {
                batch.get(i).answered(failure == null ? r[i] : null, failure);
            }
            if (failure != null) {
                commits.failWaiting(failure);
            }
            answered.complete(null);
        });
        return answered;
    }

    /** The peer's hash value: '1' for a seeder or '0', then its 20-byte id. */
    static byte[] peerValue(boolean seeder, byte[] peerId) {
        byte[] value = new byte[1 + peerId.length];
        value[0] = (byte) (seeder ? '1' : '0');
        System.arraycopy(peerId, 0, value, 1, peerId.length);
        return value;
    }

    static byte[] compact(byte[] ip, int port) {
        byte[] member = Arrays.copyOf(ip, ip.length + 2);
        member[ip.length] = (byte) (port >>> 8);
        member[ip.length + 1] = (byte) port;
        return member;
    }

    /** One announce on its way. */
    private final class Call implements GroupCommit.Request {
        final CompletableFuture<AnnounceResult> result = new CompletableFuture<>();
        private final long queuedAt = System.nanoTime();
        private final PeerAnnounce a;
        /** A kept torrent already gave way for this announce: a torrent limit now refuses it. */
        private final boolean afterEviction;
        private final boolean v6;
        private final boolean stopped;
        private final boolean selfIn;
        private final boolean scriptPicks;
        private final int numwant;
        private final int flags;
        private final byte[] prefix;
        private final byte[] self;
        private CompletableFuture<DrawOutput.Draw> draw4;
        private CompletableFuture<DrawOutput.Draw> draw6;

        Call(PeerAnnounce a, boolean afterEviction) {
            this.a = a;
            this.afterEviction = afterEviction;
            this.v6 = a.isIpv6();
            this.stopped = a.event() == AnnounceEvent.STOPPED;
            this.selfIn = a.port() != 0 && !stopped;
            this.scriptPicks = a.wantPeerIds();
            this.numwant = Math.min(a.numwant(), MAX_NUMWANT);
            this.prefix = RedisKeys.torrentPrefix(a.infoHash());
            this.self = compact(a.ip(), a.port());
            boolean wantOwn = v6 ? a.families().wantsV6() : a.families().wantsV4();
            boolean wantOther = v6 ? a.families().wantsV4() : a.families().wantsV6();
            this.flags = flags() | (wantOwn ? WANT_OWN : 0) | (wantOther ? WANT_OTHER : 0);
        }

        private int flags() {
            int f = 0;
            if (stopped) {
                f |= STOPPED;
            } else if (a.event() == AnnounceEvent.COMPLETED) {
                f |= COMPLETED;
            }
            if (a.port() != 0) {
                f |= STORE;
            }
            if (a.wantPeerIds()) {
                f |= WANT_IDS;
            }
            if (v6) {
                f |= ANNOUNCER_V6;
            }
            if (totals.estimatedPeers() < config.maxPeers()) {
                f |= ALLOW_NEW_PEER;
            }
            if (totals.estimatedTorrents() < config.maxTorrents()) {
                f |= ALLOW_NEW_TORRENT;
            }
            return f;
        }

        void addKeys(CommandArgs<byte[], byte[]> args) {
            args.addKey(prefix);
        }

        @Override
        public long queuedAt() {
            return queuedAt;
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }

        /** A fresh reply holder for this announce's part of the script's reply (a retry needs a new one). */
        AnnounceReply reply() {
            return new AnnounceReply(scriptPicks && !stopped && numwant > 0);
        }

        void addValues(CommandArgs<byte[], byte[]> args) {
            long picks = scriptPicks && !stopped ? numwant : 0;
            args.addValue(self)
                    .addValue(peerValue(a.seeder(), a.peerId()))
                    .add(flags + NUMWANT_UNIT * picks);
        }

        /** Pipelines this announce's draws (behind the script, so they see its purge). */
        void draw(List<RedisCommand<byte[], byte[], ?>> out) {
            boolean drawing = !scriptPicks && numwant > 0 && !stopped;
            draw4 = drawing && a.families().wantsV4() ? draw(out, false) : null;
            draw6 = drawing && a.families().wantsV6() ? draw(out, true) : null;
        }

        private CompletableFuture<DrawOutput.Draw> draw(List<RedisCommand<byte[], byte[], ?>> out, boolean family6) {
            boolean ownFamily = family6 == v6;
            CommandArgs<byte[], byte[]> drawArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE)
                    .addKey(RedisKeys.fromPrefix(prefix, family6 ? RedisKeys.FAMILY6 : RedisKeys.FAMILY4))
                    .add(numwant + 1);
            DrawOutput output = new DrawOutput(family6 ? 18 : 6, ownFamily && selfIn ? self : null);
            AsyncCommand<byte[], byte[], DrawOutput.Draw> command =
                    new AsyncCommand<>(new Command<>(CommandType.ZRANDMEMBER, output, drawArgs));
            out.add(command);
            return command;
        }

        /** The script answered (or failed) for this announce; finish once its draws are in. */
        void answered(AnnounceReply r, Throwable failure) {
            if (failure != null) {
                result.completeExceptionally(Failures.translate(failure));
                return;
            }
            totals.record(r.peersDelta, r.torrentsDelta);
            if (r.kept) {
                kept.mark(Slots.of(a.infoHash()));
            }
            if (r.status == AnnounceReply.TORRENT_LIMIT && !afterEviction) {
                kept.evictOne().whenComplete((evicted, e) -> {
                    if (e == null && evicted) {
                        totals.record(0, -1);
                        enqueue(new Call(a, true)).whenComplete((again, e2) -> {
                            if (e2 != null) {
                                result.completeExceptionally(e2);
                            } else {
                                result.complete(again);
                            }
                        });
                    } else {
                        result.completeExceptionally(Failures.full());
                    }
                });
                return;
            }
            if (r.status == AnnounceReply.PEER_LIMIT || r.status == AnnounceReply.TORRENT_LIMIT) {
                result.completeExceptionally(Failures.full());
                return;
            }
            if (r.status != AnnounceReply.OK || !r.complete()) {
                result.completeExceptionally(Failures.translate(
                        new IllegalStateException("malformed announce reply, status " + r.status)));
                return;
            }
            if (scriptPicks) {
                result.complete(fromScript(r));
            } else if (draw4 == null && draw6 == null) {
                result.complete(new AnnounceResult(r.seeders, r.leechers, r.downloaded,
                        AnnounceResult.NONE, AnnounceResult.NONE, null, null));
            } else {
                CompletableFuture<?> draws = draw4 == null ? draw6
                        : draw6 == null ? draw4 : CompletableFuture.allOf(draw4, draw6);
                draws.whenComplete((x, e) -> {
                    if (e != null) {
                        result.completeExceptionally(Failures.translate(e));
                    } else {
                        result.complete(fromDraws(r));
                    }
                });
            }
        }

        private AnnounceResult fromScript(AnnounceReply r) {
            byte[] p4 = v6 ? r.otherPeers : r.ownPeers;
            byte[] p6 = v6 ? r.ownPeers : r.otherPeers;
            byte[] i4 = v6 ? r.otherIds : r.ownIds;
            byte[] i6 = v6 ? r.ownIds : r.otherIds;
            return new AnnounceResult(r.seeders, r.leechers, r.downloaded, p4, p6, i4, i6);
        }

        private AnnounceResult fromDraws(AnnounceReply r) {
            int otherCount = r.seeders + r.leechers - r.ownCount;
            int count4 = v6 ? otherCount : r.ownCount;
            int count6 = v6 ? r.ownCount : otherCount;
            int available4 = draw4 == null ? 0 : Math.max(0, count4 - (selfIn && !v6 ? 1 : 0));
            int available6 = draw6 == null ? 0 : Math.max(0, count6 - (selfIn && v6 ? 1 : 0));
            byte[] p4 = AnnounceResult.NONE;
            byte[] p6 = AnnounceResult.NONE;
            if (draw4 != null) {
                DrawOutput.Draw d = draw4.join();
                p4 = PeerSplit.take(d.entries, d.count, 6, NumwantSplit.wanted4(numwant, available4, available6));
            }
            if (draw6 != null) {
                DrawOutput.Draw d = draw6.join();
                p6 = PeerSplit.take(d.entries, d.count, 18, NumwantSplit.wanted6(numwant, available4, available6));
            }
            return new AnnounceResult(r.seeders, r.leechers, r.downloaded, p4, p6, null, null);
        }
    }
}
