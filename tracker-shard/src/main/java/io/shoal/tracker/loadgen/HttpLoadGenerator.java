package io.shoal.tracker.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP counterpart of {@link LoadGenerator}: {@code window} TCP connections, each with one request in flight,
 * on one thread. Keep-alive reuses a connection until the server asks to close it; close-per-request opens a new
 * connection for every request, and its latency includes the TCP handshake as a client's would. Same world, same
 * traffic and same report as the UDP mode (the connect phase stays empty: HTTP has none).
 */
final class HttpLoadGenerator {
    private static final byte PHASE_WARMUP = 1;
    private static final byte PHASE_LOAD = 2;
    private static final long SCAN_TIMEOUTS_EVERY = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int MAX_RESPONSE_BYTES = 1 << 20;
    private static final int MAX_SAMPLES = 8;

    private final LoadConfig config;
    private final Workload workload;
    private final TrafficMix mix;
    private final PlannedRequest next;
    private final Tally[] tallies = {new Tally("connect"), new Tally("warmup"), new Tally("load")};
    private final long timeoutNanos;
    private final String hostHeader;
    private final byte[] peerIdScratch = new byte[Bep15Requests.HASH_LENGTH];
    private final HttpResponse framing = new HttpResponse();
    private final List<String> errorSamples = new ArrayList<>();
    private final List<String> invalidSamples = new ArrayList<>();
    private Connection[] connections;
    private Selector selector;
    private ReplyValidator peerValidator;
    private HttpReplyValidator validator;
    private long loadPlanned;
    /** Stays 0: every HTTP network error belongs to a request and is booked on its phase. */
    private final long networkErrors = 0;
    private final TargetMeter meter;

    /** One connection and the request it carries. */
    private static final class Connection {
        final ByteBuffer out = ByteBuffer.allocate(4096);
        byte[] in = new byte[4096];
        int inLength;
        SocketChannel channel;
        SelectionKey key;
        boolean busy;
        byte phase;
        byte kind;
        int client;
        int torrent;
        final int[] hashes;
        int hashCount;
        long sentAt;
        /** The request went out on a connection an earlier request used: the server may have closed it since. */
        boolean reused;

        Connection(int maxHashes) {
            hashes = new int[maxHashes];
        }
    }

    HttpLoadGenerator(LoadConfig config, TargetMeter meter) {
        this.config = config;
        this.meter = meter;
        this.workload = config.workload();
        this.mix = config.trafficMix(workload);
        this.next = new PlannedRequest(config.scrapeHashes());
        this.timeoutNanos = config.timeout().toNanos();
        InetSocketAddress target = config.target();
        String host = target.getAddress() instanceof java.net.Inet6Address
                ? "[" + target.getAddress().getHostAddress() + "]" : target.getAddress().getHostAddress();
        this.hostHeader = host + ":" + target.getPort();
    }

    LoadReport run() throws IOException {
        selector = Selector.open();
        byte[] selfIp = config.target().getAddress().getAddress();
        peerValidator = new ReplyValidator(workload, selfIp, config.allowSelfPeer(), config.strictPeers());
        validator = new HttpReplyValidator(peerValidator, workload.infoHashes(), config.allowUnsortedKeys());
        connections = new Connection[config.window()];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new Connection(config.scrapeHashes());
        }
        TargetUsage usage = null;
        try {
            boolean warmupComplete = true;
            if (config.runsWarmup()) {
                runPhase(PHASE_WARMUP, System.nanoTime() + config.warmupDuration().toNanos());
                warmupComplete = mix.warmupDone() == workload.totalPeers();
            }
            if (config.runsLoad()) {
                meter.start();
                runPhase(PHASE_LOAD, System.nanoTime() + config.duration().toNanos());
                usage = meter.stop(tallies[PHASE_LOAD].ok + tallies[PHASE_LOAD].errors + tallies[PHASE_LOAD].invalid,
                        tallies[PHASE_LOAD].result().seconds());
            }
            return new LoadReport(config.target().toString(), config.seed(), tallies[0].result(),
                    tallies[PHASE_WARMUP].result(), tallies[PHASE_LOAD].result(), warmupComplete,
                    peerValidator.peersSeen(), peerValidator.selfPeersSeen(), networkErrors, errorSamples,
                    invalidSamples, usage);
        } finally {
            for (Connection c : connections) {
                closeQuietly(c);
            }
            selector.close();
        }
    }

    private void runPhase(byte phase, long sendDeadline) throws IOException {
        boolean sourceOpen = true;
        long nextTimeoutScan = System.nanoTime() + SCAN_TIMEOUTS_EVERY;
        long hardStop = sendDeadline + timeoutNanos + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            long now = System.nanoTime();
            if (now >= sendDeadline) {
                sourceOpen = false;
            }
            int busy = 0;
            for (Connection c : connections) {
                if (!c.busy && sourceOpen) {
                    if (plan(phase)) {
                        send(c, phase);
                    } else {
                        sourceOpen = false;
                    }
                }
                if (c.busy) {
                    busy++;
                }
            }
            if (!sourceOpen && busy == 0) {
                return;
            }
            if (now - hardStop > 0) {
                for (Connection c : connections) {
                    if (c.busy) {
                        tallies[c.phase].timeouts++;
                        closeQuietly(c);
                    }
                }
                return;
            }
            selector.select(1);
            for (SelectionKey key : selector.selectedKeys()) {
                handle((Connection) key.attachment(), key);
            }
            selector.selectedKeys().clear();
            now = System.nanoTime();
            if (now >= nextTimeoutScan) {
                for (Connection c : connections) {
                    if (c.busy && now - c.sentAt > timeoutNanos) {
                        tallies[c.phase].timeouts++;
                        closeQuietly(c);
                    }
                }
                nextTimeoutScan = now + SCAN_TIMEOUTS_EVERY;
            }
        }
    }

    private boolean plan(byte phase) {
        if (phase == PHASE_WARMUP) {
            return mix.nextWarmup(next);
        }
        if (loadPlanned >= config.requests()) {
            return false;
        }
        loadPlanned++;
        mix.nextLoad(next);
        return true;
    }

    private void send(Connection c, byte phase) throws IOException {
        c.phase = phase;
        c.kind = next.kind;
        c.client = next.client;
        c.torrent = next.torrent;
        c.hashCount = next.hashCount;
        System.arraycopy(next.hashes, 0, c.hashes, 0, next.hashCount);
        boolean keepAlive = !config.httpClose();
        if (next.kind == PlannedRequest.ANNOUNCE) {
            HttpRequests.announce(c.out, hostHeader, workload.infoHashes(), next.torrent,
                    workload.peerId(next.client, peerIdScratch), workload.portOf(next.client), next.left, next.event,
                    workload.key(next.client), config.numwant(), keepAlive);
        } else {
            HttpRequests.scrape(c.out, hostHeader, workload.infoHashes(), next.hashes, next.hashCount, keepAlive);
        }
        c.inLength = 0;
        c.busy = true;
        c.sentAt = System.nanoTime();
        tallies[phase].onSend(c.sentAt);
        try {
            c.reused = c.channel != null;
            if (c.reused) {
                write(c);
            } else {
                open(c);
            }
        } catch (IOException e) {
            failed(c);
        }
    }

    private void open(Connection c) throws IOException {
        c.channel = SocketChannel.open();
        c.channel.configureBlocking(false);
        c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (c.channel.connect(config.target())) {
            c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
            write(c);
        } else {
            c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
        }
    }

    /**
     * A kept-alive connection the server had closed (some trackers close after every response without saying so):
     * send the same request again on a new connection, as HTTP clients do with idempotent requests.
     */
    private void retry(Connection c) {
        try {
            reopen(c);
        } catch (IOException e) {
            failed(c);
        }
    }

    private void reopen(Connection c) throws IOException {
        c.channel.close();
        c.channel = null;
        c.key = null;
        c.reused = false;
        c.inLength = 0;
        c.out.rewind();
        open(c);
    }

    private void write(Connection c) throws IOException {
        c.channel.write(c.out);
        c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void handle(Connection c, SelectionKey key) {
        if (!c.busy || c.key != key || !key.isValid()) {
            closeIfIdleAndClosed(c, key);
            return;
        }
        try {
            if (key.isConnectable()) {
                c.channel.finishConnect();
                write(c);
                return;
            }
            if (key.isWritable()) {
                write(c);
                return;
            }
            if (key.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            if (c.reused && c.inLength == 0) {
                retry(c);
            } else {
                failed(c);
            }
        }
    }

    /** A kept-alive connection the server closed while idle: forget it so that the next request reconnects. */
    private void closeIfIdleAndClosed(Connection c, SelectionKey key) {
        if (!c.busy && c.key == key && key.isValid() && key.isReadable()) {
            closeQuietly(c);
        }
    }

    private void read(Connection c) throws IOException {
        if (c.inLength == c.in.length) {
            if (c.in.length >= MAX_RESPONSE_BYTES) {
                invalid(c, Verdict.NOT_BENCODE, "response larger than " + MAX_RESPONSE_BYTES);
                return;
            }
            c.in = Arrays.copyOf(c.in, c.in.length * 2);
        }
        int n = c.channel.read(ByteBuffer.wrap(c.in, c.inLength, c.in.length - c.inLength));
        boolean eof = n < 0;
        if (n > 0) {
            c.inLength += n;
        }
        if (eof && c.inLength == 0 && c.reused) {
            retry(c);
            return;
        }
        int complete = framing.parse(c.in, c.inLength, eof);
        if (complete == HttpResponse.NEED_MORE) {
            if (eof) {
                failed(c);
            }
            return;
        }
        if (complete == HttpResponse.MALFORMED) {
            invalid(c, Verdict.NOT_BENCODE, "unframeable response");
            return;
        }
        long now = System.nanoTime();
        int bodyLength = complete - framing.bodyStart;
        Verdict verdict = c.kind == PlannedRequest.ANNOUNCE
                ? validator.announce(framing.status, c.in, framing.bodyStart, bodyLength, c.client, c.torrent,
                        config.numwant())
                : validator.scrape(framing.status, c.in, framing.bodyStart, bodyLength, c.hashes, c.hashCount);
        tallies[c.phase].onVerdict(verdict, c.kind, now, now - c.sentAt);
        if (verdict == Verdict.TRACKER_ERROR) {
            sampleError(HttpReplyValidator.failureReason(c.in, framing.bodyStart, bodyLength));
        } else if (verdict.isInvalid()) {
            sample(verdict + " status=" + framing.status + " body="
                    + new String(c.in, framing.bodyStart, Math.min(bodyLength, 80),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        c.busy = false;
        if (config.httpClose() || framing.close || eof || complete != c.inLength) {
            closeQuietly(c);
        }
    }

    /** The request got a network error instead of a reply (refused, reset, closed early). */
    private void failed(Connection c) {
        tallies[c.phase].errors++;
        c.busy = false;
        closeQuietly(c);
    }

    private void invalid(Connection c, Verdict verdict, String why) {
        tallies[c.phase].invalid(verdict);
        sample(verdict + " " + why);
        c.busy = false;
        closeQuietly(c);
    }

    private void closeQuietly(Connection c) {
        c.busy = false;
        if (c.channel != null) {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing a socket we are done with: nothing to recover
            }
            c.channel = null;
            c.key = null;
        }
    }

    private void sampleError(String message) {
        if (message != null && errorSamples.size() < MAX_SAMPLES && !errorSamples.contains(message)) {
            errorSamples.add(message);
        }
    }

    private void sample(String text) {
        if (invalidSamples.size() < MAX_SAMPLES) {
            invalidSamples.add(text);
        }
    }
}
