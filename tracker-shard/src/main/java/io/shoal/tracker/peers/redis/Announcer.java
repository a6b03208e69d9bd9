package io.shoal.tracker.peers.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.shoal.routing.Slots;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.protocol.AnnounceEvent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Turns one announce into one pipelined round trip: the announce script (drop expired peers, upsert or remove the
 * announcer, counts) followed, on the same connection and so executed right after it, by one native ZRANDMEMBER
 * per wanted family. Redis hands native replies to the client far more cheaply than it hands members through Lua;
 * the script itself picks only when peer ids are wanted (non-compact HTTP replies).
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

    private final LuaScript script;
    private final ScriptRunner scripts;
    private final PeerStoreConfig config;
    private final StoreTotals totals;
    private final long peerTtlMillis;
    /** Constant script arguments, encoded once. */
    private final byte[] keyTtlText;
    private final byte[] ttlRefreshText;

    Announcer(LuaScript script, ScriptRunner scripts, PeerStoreConfig config, StoreTotals totals,
              long keyTtlMillis, long ttlRefreshMillis) {
        this.script = script;
        this.scripts = scripts;
        this.config = config;
        this.totals = totals;
        this.peerTtlMillis = config.peerTtl().toMillis();
        this.keyTtlText = Long.toString(keyTtlMillis).getBytes(StandardCharsets.US_ASCII);
        this.ttlRefreshText = Long.toString(ttlRefreshMillis).getBytes(StandardCharsets.US_ASCII);
    }

    CompletableFuture<AnnounceResult> announce(RedisAsyncCommands<byte[], byte[]> commands, PeerAnnounce a) {
        return new Call(commands, a).send(false);
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

    /** One announce in flight. */
    private final class Call {
        private final RedisAsyncCommands<byte[], byte[]> commands;
        private final PeerAnnounce a;
        private final boolean v6;
        private final boolean selfIn;
        private final boolean scriptPicks;
        private final int numwant;
        private final byte[] own;
        private final byte[] other;
        private final byte[] self;
        private final CommandArgs<byte[], byte[]> args;
        private final CompletableFuture<AnnounceResult> result = new CompletableFuture<>();

        Call(RedisAsyncCommands<byte[], byte[]> commands, PeerAnnounce a) {
            this.commands = commands;
            this.a = a;
            this.v6 = a.isIpv6();
            boolean stopped = a.event() == AnnounceEvent.STOPPED;
            this.selfIn = a.port() != 0 && !stopped;
            this.scriptPicks = a.wantPeerIds();
            this.numwant = Math.min(a.numwant(), MAX_NUMWANT);
            this.own = RedisKeys.torrentKey(a.infoHash(), v6 ? RedisKeys.FAMILY6 : RedisKeys.FAMILY4);
            this.other = RedisKeys.withSuffix(own, v6 ? RedisKeys.FAMILY4 : RedisKeys.FAMILY6);
            this.self = compact(a.ip(), a.port());
            long now = config.clock().millis();
            boolean wantOwn = v6 ? a.families().wantsV6() : a.families().wantsV4();
            boolean wantOther = v6 ? a.families().wantsV4() : a.families().wantsV6();
            int flags = flags(stopped) | (wantOwn ? WANT_OWN : 0) | (wantOther ? WANT_OTHER : 0);
            this.args = ScriptRunner.args(script, 4)
                    .addKey(own)
                    .addKey(other)
                    .addKey(RedisKeys.withSuffix(own, RedisKeys.PEER_HASH))
                    .addKey(RedisKeys.indexKey(Slots.of(a.infoHash())))
                    .addValue(self)
                    .addValue(peerValue(a.seeder(), a.peerId()))
                    .add(now)
                    .add(now + peerTtlMillis)
                    .add(flags)
                    .add(scriptPicks && !stopped ? numwant : 0)
                    .addValue(keyTtlText)
                    .addValue(ttlRefreshText)
                    .addValue(a.infoHash());
        }

        private int flags(boolean stopped) {
            int flags = 0;
            if (stopped) {
                flags |= STOPPED;
            } else if (a.event() == AnnounceEvent.COMPLETED) {
                flags |= COMPLETED;
            }
            if (a.port() != 0) {
                flags |= STORE;
            }
            if (a.wantPeerIds()) {
                flags |= WANT_IDS;
            }
            if (v6) {
                flags |= ANNOUNCER_V6;
            }
            if (totals.estimatedPeers() < config.maxPeers()) {
                flags |= ALLOW_NEW_PEER;
            }
            if (totals.estimatedTorrents() < config.maxTorrents()) {
                flags |= ALLOW_NEW_TORRENT;
            }
            return flags;
        }

        CompletableFuture<AnnounceResult> send(boolean retried) {
            CompletableFuture<AnnounceReply> reply = ScriptRunner.send(commands, args, AnnounceOutput::new);
            boolean drawing = !scriptPicks && numwant > 0 && a.event() != AnnounceEvent.STOPPED;
            CompletableFuture<DrawOutput.Draw> draw4 = drawing && a.families().wantsV4() ? draw(false) : null;
            CompletableFuture<DrawOutput.Draw> draw6 = drawing && a.families().wantsV6() ? draw(true) : null;
            CompletableFuture<?> all = draw4 == null && draw6 == null ? reply
                    : draw4 == null ? CompletableFuture.allOf(reply, draw6)
                    : draw6 == null ? CompletableFuture.allOf(reply, draw4)
                    : CompletableFuture.allOf(reply, draw4, draw6);
            all.whenComplete((x, e) -> finish(reply, draw4, draw6, retried));
            return result;
        }

        private CompletableFuture<DrawOutput.Draw> draw(boolean family6) {
            boolean ownFamily = family6 == v6;
            int most = numwant + 1;
            CommandArgs<byte[], byte[]> drawArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE)
                    .addKey(ownFamily ? own : other)
                    .add(most);
            DrawOutput output = new DrawOutput(family6 ? 18 : 6, ownFamily && selfIn ? self : null);
            try {
                return commands.dispatch(CommandType.ZRANDMEMBER, output, drawArgs).toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private void finish(CompletableFuture<AnnounceReply> reply, CompletableFuture<DrawOutput.Draw> draw4,
                            CompletableFuture<DrawOutput.Draw> draw6, boolean retried) {
            Throwable failure = failureOf(reply);
            if (failure != null) {
                if (!retried && Failures.isNoScript(failure)) {
                    // the draws ran before the script that drops expired peers: send everything again
                    scripts.load(commands, script).whenComplete((ok, loadFailure) -> {
                        if (loadFailure != null) {
                            result.completeExceptionally(Failures.translate(loadFailure));
                        } else {
                            send(true);
                        }
                    });
                } else {
                    result.completeExceptionally(Failures.translate(failure));
                }
                return;
            }
            AnnounceReply r = reply.join();
            totals.record(r.peersDelta, r.torrentsDelta);
            if (r.status == AnnounceReply.PEER_LIMIT || r.status == AnnounceReply.TORRENT_LIMIT) {
                result.completeExceptionally(Failures.full());
                return;
            }
            if (r.status != AnnounceReply.OK || !r.complete()) {
                result.completeExceptionally(Failures.translate(
                        new IllegalStateException("malformed announce reply, status " + r.status)));
                return;
            }
            Throwable drawFailure = draw4 != null ? failureOf(draw4) : null;
            if (drawFailure == null && draw6 != null) {
                drawFailure = failureOf(draw6);
            }
            if (drawFailure != null) {
                result.completeExceptionally(Failures.translate(drawFailure));
                return;
            }
            result.complete(scriptPicks ? fromScript(r) : fromDraws(r, draw4, draw6));
        }

        private AnnounceResult fromScript(AnnounceReply r) {
            byte[] p4 = v6 ? r.otherPeers : r.ownPeers;
            byte[] p6 = v6 ? r.ownPeers : r.otherPeers;
            byte[] i4 = v6 ? r.otherIds : r.ownIds;
            byte[] i6 = v6 ? r.ownIds : r.otherIds;
            return new AnnounceResult(r.seeders, r.leechers, r.downloaded, p4, p6, i4, i6);
        }

        private AnnounceResult fromDraws(AnnounceReply r, CompletableFuture<DrawOutput.Draw> draw4,
                                         CompletableFuture<DrawOutput.Draw> draw6) {
            byte[] p4 = AnnounceResult.NONE;
            byte[] p6 = AnnounceResult.NONE;
            if (draw4 != null || draw6 != null) {
                int otherCount = r.seeders + r.leechers - r.ownCount;
                int count4 = v6 ? otherCount : r.ownCount;
                int count6 = v6 ? r.ownCount : otherCount;
                int available4 = draw4 == null ? 0 : Math.max(0, count4 - (selfIn && !v6 ? 1 : 0));
                int available6 = draw6 == null ? 0 : Math.max(0, count6 - (selfIn && v6 ? 1 : 0));
                if (draw4 != null) {
                    DrawOutput.Draw d = draw4.join();
                    p4 = PeerSplit.take(d.entries, d.count, 6, PeerSplit.wanted4(numwant, available4, available6));
                }
                if (draw6 != null) {
                    DrawOutput.Draw d = draw6.join();
                    p6 = PeerSplit.take(d.entries, d.count, 18, PeerSplit.wanted6(numwant, available4, available6));
                }
            }
            return new AnnounceResult(r.seeders, r.leechers, r.downloaded, p4, p6, null, null);
        }
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return Failures.unwrap(e);
        }
    }
}
