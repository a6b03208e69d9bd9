package io.shoal.tracker.loadgen;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The simulated world, derived entirely from a seed: torrents with random infohashes, clients with distinct peer
 * ids and ports, and which clients belong to which swarm. The same seed gives the same world, so two trackers can be
 * driven with identical traffic and a later run can continue a world an earlier run warmed up.
 *
 * <p>Membership is arithmetic rather than stored: swarm {@code t} holds the {@code swarmSize(t)} consecutive clients
 * starting at {@code base(t)} (mod clients). That makes "is this returned peer really in this swarm?" an O(1) check.
 */
final class Workload {
    static final byte ABSENT = 0;
    static final byte LEECHER = 1;
    static final byte SEEDER = 2;

    /** Spreads swarm bases over the clients; a prime so that neighbouring torrents share few members. */
    private static final long STRIDE = 7919;
    /** Every this-many torrent is a big swarm, larger than a typical numwant, so random selection is exercised. */
    private static final int BIG_SWARM_EVERY = 20;
    private static final int PEER_ID_PREFIX_LENGTH = 8;

    private final int clients;
    private final int torrents;
    private final int basePort;
    private final byte[] infoHashes;
    private final byte[] peerIds;
    private final int[] keys;
    private final int[] swarmSize;
    private final int[] swarmBase;
    private final int[] firstPeer;
    private final byte[] initialState;

    Workload(long seed, int clients, int torrents, int peersPerTorrent, int basePort) {
        if (clients < 1 || torrents < 1 || peersPerTorrent < 1) {
            throw new IllegalArgumentException("clients, torrents and peers per torrent must be positive");
        }
        if (basePort < 1 || basePort + clients - 1 > 65535) {
            throw new IllegalArgumentException("ports " + basePort + ".." + (basePort + clients - 1) + " do not fit");
        }
        this.clients = clients;
        this.torrents = torrents;
        this.basePort = basePort;
        SplittableRandom rng = new SplittableRandom(seed);
        infoHashes = new byte[torrents * Bep15Requests.HASH_LENGTH];
        rng.nextBytes(infoHashes);
        peerIds = new byte[clients * Bep15Requests.HASH_LENGTH];
        keys = new int[clients];
        byte[] prefix = "-SL0100-".getBytes(StandardCharsets.US_ASCII);
        for (int c = 0; c < clients; c++) {
            int off = c * Bep15Requests.HASH_LENGTH;
            System.arraycopy(prefix, 0, peerIds, off, PEER_ID_PREFIX_LENGTH);
            // index first (distinctness guaranteed), then random bytes (distinct across seeds)
            peerIds[off + 8] = (byte) (c >>> 24);
            peerIds[off + 9] = (byte) (c >>> 16);
            peerIds[off + 10] = (byte) (c >>> 8);
            peerIds[off + 11] = (byte) c;
            for (int i = 12; i < Bep15Requests.HASH_LENGTH; i++) {
                peerIds[off + i] = (byte) rng.nextInt(256);
            }
            keys[c] = rng.nextInt();
        }
        swarmSize = new int[torrents];
        swarmBase = new int[torrents];
        firstPeer = new int[torrents + 1];
        int maxOrdinary = Math.max(1, 2 * peersPerTorrent - 1);
        long total = 0;
        for (int t = 0; t < torrents; t++) {
            int size = t % BIG_SWARM_EVERY == 0 ? 4 * peersPerTorrent : 1 + rng.nextInt(maxOrdinary);
            swarmSize[t] = Math.min(size, clients);
            swarmBase[t] = (int) ((t * STRIDE) % clients);
            firstPeer[t] = (int) total;
            total += swarmSize[t];
            if (total > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("too many peers in total: " + total);
            }
        }
        firstPeer[torrents] = (int) total;
        initialState = new byte[(int) total];
        for (int p = 0; p < total; p++) {
            initialState[p] = rng.nextInt(4) == 0 ? SEEDER : LEECHER;
        }
    }

    int clients() {
        return clients;
    }

    int torrents() {
        return torrents;
    }

    /** Number of (torrent, member) pairs: what a warm-up announces. */
    int totalPeers() {
        return firstPeer[torrents];
    }

    byte[] infoHashes() {
        return infoHashes;
    }

    String infoHashHex(int torrent) {
        int off = torrent * Bep15Requests.HASH_LENGTH;
        return HexFormat.of().formatHex(infoHashes, off, off + Bep15Requests.HASH_LENGTH);
    }

    int swarmSize(int torrent) {
        return swarmSize[torrent];
    }

    /** Index of (torrent, member) among all peers; members are 0..swarmSize-1. */
    int peerIndex(int torrent, int member) {
        return firstPeer[torrent] + member;
    }

    int firstPeer(int torrent) {
        return firstPeer[torrent];
    }

    int clientOf(int torrent, int member) {
        return (int) (((long) swarmBase[torrent] + member) % clients);
    }

    boolean isMember(int torrent, int client) {
        if (client < 0 || client >= clients) {
            return false;
        }
        return Math.floorMod(client - swarmBase[torrent], clients) < swarmSize[torrent];
    }

    int portOf(int client) {
        return basePort + client;
    }

    /** The client announcing this port, or -1 when no simulated client uses it. */
    int clientOfPort(int port) {
        int c = port - basePort;
        return c >= 0 && c < clients ? c : -1;
    }

    /** Copies the 20-byte peer id of a client into {@code out}. */
    byte[] peerId(int client, byte[] out) {
        System.arraycopy(peerIds, client * Bep15Requests.HASH_LENGTH, out, 0, Bep15Requests.HASH_LENGTH);
        return out;
    }

    int key(int client) {
        return keys[client];
    }

    /** The state a peer is in right after the warm-up announced it (a quarter start as seeders). */
    byte[] initialStates() {
        return initialState.clone();
    }
}
