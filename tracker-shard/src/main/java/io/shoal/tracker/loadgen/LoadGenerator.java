package io.shoal.tracker.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives one run on a single thread: a few connected non-blocking UDP sockets, a bounded window of requests in
 * flight, every reply validated as it arrives. Three phases: every client connects; the warm-up announces every
 * swarm member once; then the measured load of announces and scrapes. Each phase ends by itself when its requests
 * are sent or its time is up, after the outstanding requests are answered or timed out.
 *
 * <p>One thread and no allocation per request keep the generator cheap, so that it does not take the CPU it is
 * measuring the tracker with.
 */
final class LoadGenerator {
    private static final byte PHASE_CONNECT = 0;
    private static final byte PHASE_WARMUP = 1;
    private static final byte PHASE_LOAD = 2;
    private static final long SCAN_TIMEOUTS_EVERY = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long SCAN_RENEWALS_EVERY = TimeUnit.SECONDS.toNanos(1);
    private static final long CONNECT_PHASE_LIMIT = TimeUnit.SECONDS.toNanos(30);
    private static final int CONNECT_ROUNDS = 3;
    private static final int SOCKET_BUFFER = 4 << 20;
    private static final int MAX_SAMPLES = 8;
    private static final int MAX_READS_PER_SOCKET = 1024;

    private final LoadConfig config;
    private final Workload workload;
    private final TrafficMix mix;
    private final InFlight inFlight;
    private final PlannedRequest next;
    private final Tally[] tallies = {new Tally("connect"), new Tally("warmup"), new Tally("load")};
    private final long timeoutNanos;
    private final long refreshNanos;

    private final long[] connectionId;
    private final long[] connectedAt;
    private final long[] connectSentAt;
    private final boolean[] hasConnection;
    private final boolean[] connecting;
    private final int[] renewQueue;
    private int renewHead;
    private int renewCount;

    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(65536);
    private final byte[] peerIdScratch = new byte[Bep15Requests.HASH_LENGTH];
    private DatagramChannel[] channels;
    private Selector selector;
    private ReplyValidator validator;
    private int pendingSlot = -1;
    /** ICMP errors that surface on a read, where no request (and so no phase) can be blamed. */
    private long networkErrors;
    private long loadPlanned;
    private int connectCursor;
    private final List<String> errorSamples = new ArrayList<>();
    private final List<String> invalidSamples = new ArrayList<>();

    private final TargetMeter meter;

    LoadGenerator(LoadConfig config, TargetMeter meter) {
        this.config = config;
        this.meter = meter;
        this.workload = config.workload();
        this.mix = config.trafficMix(workload);
        this.inFlight = new InFlight(config.window(), config.scrapeHashes());
        this.next = new PlannedRequest(config.scrapeHashes());
        this.timeoutNanos = config.timeout().toNanos();
        this.refreshNanos = config.connectionRefresh().toNanos();
        int clients = config.clients();
        connectionId = new long[clients];
        connectedAt = new long[clients];
        connectSentAt = new long[clients];
        hasConnection = new boolean[clients];
        connecting = new boolean[clients];
        renewQueue = new int[clients];
    }

    Workload workload() {
        return workload;
    }

    LoadReport run() throws IOException {
        open();
        try {
            // a lost connect must not turn into a client that cannot send: retry the missing ones a few times
            for (int round = 0; round < CONNECT_ROUNDS && connectedClients() < workload.clients(); round++) {
                connectCursor = 0;
                runPhase(PHASE_CONNECT, System.nanoTime() + CONNECT_PHASE_LIMIT);
            }
            boolean warmupComplete = true;
            if (config.runsWarmup()) {
                runPhase(PHASE_WARMUP, System.nanoTime() + config.warmupDuration().toNanos());
                warmupComplete = mix.warmupDone() == workload.totalPeers();
            }
            TargetUsage usage = null;
            if (config.runsLoad()) {
                meter.start();
                runPhase(PHASE_LOAD, System.nanoTime() + config.duration().toNanos());
                Tally load = tallies[PHASE_LOAD];
                usage = meter.stop(load.ok + load.errors + load.invalid, load.result().seconds());
            }
            return new LoadReport(config.target().toString(), config.seed(), tallies[PHASE_CONNECT].result(),
                    tallies[PHASE_WARMUP].result(), tallies[PHASE_LOAD].result(), warmupComplete,
                    validator.peersSeen(), validator.selfPeersSeen(), networkErrors, errorSamples, invalidSamples,
                    usage);
        } finally {
            close();
        }
    }

    private void open() throws IOException {
        selector = Selector.open();
        channels = new DatagramChannel[config.sockets()];
        InetSocketAddress target = config.target();
        for (int i = 0; i < channels.length; i++) {
            DatagramChannel channel = DatagramChannel.open(target.getAddress() instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
            channels[i] = channel;
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            // connected: the kernel drops datagrams from anyone but the tracker, and reads need no address object
            channel.connect(target);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        }
        byte[] selfIp = ((InetSocketAddress) channels[0].getLocalAddress()).getAddress().getAddress();
        validator = new ReplyValidator(workload, selfIp, config.allowSelfPeer(), config.strictPeers());
    }

    private void close() throws IOException {
        IOException failure = null;
        for (DatagramChannel channel : channels) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                failure = e;
            }
        }
        selector.close();
        if (failure != null) {
            throw failure;
        }
    }

    private void runPhase(byte phase, long sendDeadline) throws IOException {
        boolean sourceOpen = true;
        long now = System.nanoTime();
        long nextTimeoutScan = now + SCAN_TIMEOUTS_EVERY;
        long nextRenewalScan = now + SCAN_RENEWALS_EVERY;
        // replies get one timeout after the last send; a socket that never drains cannot keep the run alive
        long hardStop = sendDeadline + timeoutNanos + SCAN_RENEWALS_EVERY;
        while (true) {
            now = System.nanoTime();
            if (now >= sendDeadline) {
                sourceOpen = false;
            }
            int sent = 0;
            while (!inFlight.isFull() || pendingSlot >= 0) {
                if (pendingSlot < 0) {
                    if (renewCount > 0) {
                        int client = renewQueue[renewHead];
                        renewHead = (renewHead + 1) % renewQueue.length;
                        renewCount--;
                        next.connect(client);
                        prepare(PHASE_CONNECT);
                    } else if (sourceOpen && plan(phase)) {
                        prepare(phase);
                    } else {
                        sourceOpen = false;
                        break;
                    }
                }
                if (!flush(now)) {
                    break;
                }
                sent++;
            }
            int received = receive();
            if (!sourceOpen && pendingSlot < 0 && inFlight.size() == 0) {
                return;
            }
            if (now >= nextTimeoutScan) {
                expire(now);
                nextTimeoutScan = now + SCAN_TIMEOUTS_EVERY;
            }
            if (phase != PHASE_CONNECT && now >= nextRenewalScan) {
                scheduleRenewals(now);
                nextRenewalScan = now + SCAN_RENEWALS_EVERY;
            }
            if (now - hardStop > 0) {
                abandon();
                return;
            }
            if (received == 0 && sent == 0) {
                selector.select(1);
                selector.selectedKeys().clear();
            }
        }
    }

    /**
     * Fills {@link #next} from the phase's source; false when the source has nothing more. Requests of a client
     * that holds no connection id are counted as skipped rather than sent to fail: the connect's loss was already
     * counted, and skipping keeps the sequence of drawn requests the same from run to run.
     */
    private boolean plan(byte phase) {
        switch (phase) {
            case PHASE_CONNECT -> {
                while (connectCursor < workload.clients()) {
                    int client = connectCursor++;
                    if (!hasConnection[client] && !connecting[client]) {
                        next.connect(client);
                        return true;
                    }
                }
                return false;
            }
            case PHASE_WARMUP -> {
                while (mix.nextWarmup(next)) {
                    if (hasConnection[next.client]) {
                        return true;
                    }
                    tallies[phase].skipped++;
                }
                return false;
            }
            case PHASE_LOAD -> {
                while (loadPlanned < config.requests()) {
                    loadPlanned++;
                    mix.nextLoad(next);
                    if (hasConnection[next.client]) {
                        return true;
                    }
                    tallies[phase].skipped++;
                }
                return false;
            }
            default -> throw new IllegalStateException("unknown phase " + phase);
        }
    }

    private int connectedClients() {
        int count = 0;
        for (boolean connected : hasConnection) {
            if (connected) {
                count++;
            }
        }
        return count;
    }

    /** Takes a slot for {@link #next} and encodes it into the send buffer; the window has room by contract. */
    private void prepare(byte phase) {
        int slot = inFlight.acquire();
        int client = next.client;
        inFlight.kind[slot] = next.kind;
        inFlight.phase[slot] = phase;
        inFlight.socket[slot] = (byte) (client % channels.length);
        inFlight.client[slot] = client;
        inFlight.torrent[slot] = next.torrent;
        inFlight.event[slot] = next.event;
        inFlight.hashCount[slot] = next.hashCount;
        System.arraycopy(next.hashes, 0, inFlight.hashes[slot], 0, next.hashCount);
        int tid = inFlight.transactionId(slot);
        switch (next.kind) {
            case PlannedRequest.CONNECT -> {
                connecting[client] = true;
                Bep15Requests.connect(sendBuffer, tid);
            }
            case PlannedRequest.ANNOUNCE -> Bep15Requests.announce(sendBuffer, connectionId[client], tid,
                    workload.infoHashes(), next.torrent, workload.peerId(client, peerIdScratch), 0, next.left, 0,
                    next.event, workload.key(client), config.numwant(), workload.portOf(client));
            case PlannedRequest.SCRAPE -> Bep15Requests.scrape(sendBuffer, connectionId[client], tid,
                    workload.infoHashes(), next.hashes, next.hashCount);
            default -> throw new IllegalStateException("unknown request kind " + next.kind);
        }
        pendingSlot = slot;
    }

    /** Sends the prepared request; false when the socket buffer is full (the request stays prepared). */
    private boolean flush(long now) throws IOException {
        int slot = pendingSlot;
        Tally tally = tallies[inFlight.phase[slot]];
        try {
            if (channels[inFlight.socket[slot]].write(sendBuffer) == 0) {
                return false;
            }
        } catch (PortUnreachableException e) {
            // nobody listens (yet, or any more): the request is lost, the ICMP error is what we got instead; it is
            // booked on the phase only, since totalErrors() adds networkErrors on top of the phase errors
            tally.onSend(now);
            tally.errors++;
            forget(slot);
            inFlight.release(slot);
            pendingSlot = -1;
            return true;
        }
        now = System.nanoTime(); // the loop's clock is stale after a burst of sends; latency starts here
        tally.onSend(now);
        inFlight.sentAt[slot] = now;
        if (inFlight.kind[slot] == PlannedRequest.CONNECT) {
            connectSentAt[inFlight.client[slot]] = now;
        }
        pendingSlot = -1;
        return true;
    }

    private int receive() throws IOException {
        int received = 0;
        long now = System.nanoTime();
        for (int s = 0; s < channels.length; s++) {
            for (int i = 0; i < MAX_READS_PER_SOCKET; i++) {
                receiveBuffer.clear();
                int length;
                try {
                    length = channels[s].read(receiveBuffer);
                } catch (PortUnreachableException e) {
                    networkErrors++;
                    continue;
                }
                if (length <= 0) {
                    break;
                }
                receiveBuffer.flip();
                if ((received & 15) == 15) {
                    now = System.nanoTime();
                }
                onReply(s, now);
                received++;
            }
        }
        return received;
    }

    private void onReply(int socket, long now) {
        ByteBuffer reply = receiveBuffer;
        Tally current = tallies[currentPhaseForStrays()];
        if (reply.limit() < ReplyValidator.HEADER_LENGTH) {
            current.invalid(Verdict.TOO_SHORT);
            sampleInvalid(Verdict.TOO_SHORT, -1, reply);
            return;
        }
        int tid = reply.getInt(4);
        int slot = inFlight.slotOf(tid);
        if (slot < 0 || slot == pendingSlot) {
            if (inFlight.wasTimedOut(tid)) {
                current.late++;
            } else {
                current.invalid(Verdict.UNKNOWN_TRANSACTION);
                sampleInvalid(Verdict.UNKNOWN_TRANSACTION, -1, reply);
            }
            return;
        }
        byte kind = inFlight.kind[slot];
        int client = inFlight.client[slot];
        Verdict verdict;
        if (inFlight.socket[slot] != socket) {
            verdict = Verdict.WRONG_SOCKET;
        } else {
            verdict = switch (kind) {
                case PlannedRequest.CONNECT -> validator.connect(reply);
                case PlannedRequest.ANNOUNCE -> validator.announce(reply, client, inFlight.torrent[slot],
                        config.numwant());
                case PlannedRequest.SCRAPE -> validator.scrape(reply, inFlight.hashes[slot],
                        inFlight.hashCount[slot]);
                default -> throw new IllegalStateException("unknown request kind " + kind);
            };
        }
        tallies[inFlight.phase[slot]].onVerdict(verdict, kind, now, now - inFlight.sentAt[slot]);
        if (verdict == Verdict.TRACKER_ERROR) {
            sampleError(reply);
        } else if (verdict.isInvalid()) {
            sampleInvalid(verdict, kind, reply);
        }
        if (kind == PlannedRequest.CONNECT) {
            connecting[client] = false;
            if (verdict == Verdict.OK) {
                connectionId[client] = ReplyValidator.connectionId(reply);
                connectedAt[client] = now;
                hasConnection[client] = true;
            }
        }
        inFlight.release(slot);
    }

    /** Stray replies (unknown or late) are booked on the latest phase that has started. */
    private int currentPhaseForStrays() {
        if (tallies[PHASE_LOAD].sent > 0) {
            return PHASE_LOAD;
        }
        return tallies[PHASE_WARMUP].sent > 0 ? PHASE_WARMUP : PHASE_CONNECT;
    }

    private void expire(long now) {
        for (int slot = 0; slot < inFlight.capacity(); slot++) {
            if (slot != pendingSlot && inFlight.isBusy(slot) && now - inFlight.sentAt[slot] > timeoutNanos) {
                tallies[inFlight.phase[slot]].timeouts++;
                forget(slot);
                inFlight.releaseTimedOut(slot);
            }
        }
    }

    /** Ends a phase that could not drain: whatever is still outstanding counts as timed out. */
    private void abandon() {
        for (int slot = 0; slot < inFlight.capacity(); slot++) {
            if (slot == pendingSlot) {
                forget(slot);
                inFlight.release(slot);
            } else if (inFlight.isBusy(slot)) {
                tallies[inFlight.phase[slot]].timeouts++;
                forget(slot);
                inFlight.releaseTimedOut(slot);
            }
        }
        pendingSlot = -1;
    }

    private void forget(int slot) {
        if (inFlight.kind[slot] == PlannedRequest.CONNECT) {
            connecting[inFlight.client[slot]] = false;
        }
    }

    /**
     * Queues a connect for every client whose connection id is due for renewal (well before BEP 15's two minutes,
     * so the old id stays usable meanwhile) or who has none and whose last attempt has timed out.
     */
    private void scheduleRenewals(long now) {
        for (int client = 0; client < connecting.length; client++) {
            if (connecting[client]) {
                continue;
            }
            boolean due = hasConnection[client]
                    ? now - connectedAt[client] > refreshNanos
                    : now - connectSentAt[client] > timeoutNanos;
            if (due) {
                connecting[client] = true;
                renewQueue[(renewHead + renewCount) % renewQueue.length] = client;
                renewCount++;
            }
        }
    }

    private void sampleError(ByteBuffer reply) {
        if (errorSamples.size() < MAX_SAMPLES) {
            String message = ReplyValidator.errorMessage(reply);
            if (!errorSamples.contains(message)) {
                errorSamples.add(message);
            }
        }
    }

    private void sampleInvalid(Verdict verdict, int kind, ByteBuffer reply) {
        if (invalidSamples.size() < MAX_SAMPLES) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(reply.limit(), 32); i++) {
                hex.append(String.format("%02x", reply.get(i) & 0xFF));
            }
            invalidSamples.add(verdict + " kind=" + kind + " length=" + reply.limit() + " head=" + hex);
        }
    }
}
