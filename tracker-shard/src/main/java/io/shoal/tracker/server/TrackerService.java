package io.shoal.tracker.server;

import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.protocol.AnnounceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Tracker policy between the codecs and the peer store, the same for UDP and HTTP: the access list,
 * numwant defaults and caps, seeder status, announce intervals. Knows nothing about sockets.
 */
public final class TrackerService {

    public static final String NOT_ALLOWED = "info hash not allowed";
    /**
     * Most peers in a UDP announce reply, whatever the configured maximum, so that the reply fits one unfragmented
     * datagram as opentracker's do: 20 + 6 * 200 = 1220 bytes over IPv4, 20 + 18 * 66 = 1208 bytes over IPv6
     * (under IPv6's 1280-byte minimum MTU).
     */
    public static final int UDP_MAX_PEERS_V4 = 200;
    public static final int UDP_MAX_PEERS_V6 = 66;
    private static final RequestRefusedException NOT_ALLOWED_REFUSAL = new RequestRefusedException(NOT_ALLOWED);

    private final PeerStore store;
    private final Supplier<AccessList> accessList;
    private final int intervalSeconds;
    private final int minIntervalSeconds;
    private final int numwantDefault;
    private final int numwantMax;

    public TrackerService(PeerStore store, Supplier<AccessList> accessList, ShardConfig config) {
        this.store = store;
        this.accessList = accessList;
        this.intervalSeconds = (int) config.interval().getSeconds();
        this.minIntervalSeconds = (int) config.minInterval().getSeconds();
        this.numwantDefault = config.numwantDefault();
        this.numwantMax = config.numwantMax();
    }

    /**
     * Applies policy and hands the announce to the store.
     *
     * @param ip       the announcer's address, already normalised (4 or 16 bytes)
     * @param families which families the reply can carry
     */
    public CompletionStage<AnnounceResult> announce(AnnounceRequest request, byte[] ip, PeerFamilies families) {
        if (!accessList.get().allows(request.infoHash())) {
            return CompletableFuture.failedFuture(NOT_ALLOWED_REFUSAL);
        }
        PeerAnnounce announce = new PeerAnnounce(
                request.infoHash(),
                ip,
                request.port(),
                request.peerId(),
                request.left() == 0,
                request.event(),
                numwant(request.numwant(), families),
                families,
                !request.compact() && !request.noPeerId());
        try {
            return store.announce(announce);
        } catch (RuntimeException e) {
            // The contract says failures come through the stage; a store that throws is treated the same.
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Counts for each hash in order; hashes the access list refuses read as empty swarms. */
    public CompletionStage<List<SwarmCounts>> scrape(List<byte[]> infoHashes) {
        AccessList list = accessList.get();
        try {
            if (list.allowsAll()) {
                return store.scrape(infoHashes);
            }
            List<byte[]> allowed = new ArrayList<>(infoHashes.size());
            for (byte[] h : infoHashes) {
                if (list.allows(h)) {
                    allowed.add(h);
                }
            }
            if (allowed.size() == infoHashes.size()) {
                return store.scrape(infoHashes);
            }
            return store.scrape(allowed).thenApply(counts -> {
                List<SwarmCounts> out = new ArrayList<>(infoHashes.size());
                int next = 0;
                for (byte[] h : infoHashes) {
                    out.add(list.allows(h) ? counts.get(next++) : SwarmCounts.EMPTY);
                }
                return out;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The requested number of peers after policy: absent (-1) gives the default, anything above the cap the cap. */
    public int numwant(int requested) {
        if (requested < 0) {
            return numwantDefault;
        }
        return Math.min(requested, numwantMax);
    }

    /**
     * The requested number of peers after policy and the reply's size limit: a reply of one family is a UDP reply
     * ({@link #udpFamilies}; HTTP replies carry both), capped to fit one datagram.
     */
    int numwant(int requested, PeerFamilies families) {
        int n = numwant(requested);
        return switch (families) {
            case V4 -> Math.min(n, UDP_MAX_PEERS_V4);
            case V6 -> Math.min(n, UDP_MAX_PEERS_V6);
            case BOTH -> n;
        };
    }

    /**
     * The re-announce interval to tell a client: the configured one plus up to 5 %, so that swarms started
     * together (a restart, a popular release) drift apart instead of announcing in lockstep.
     */
    public int interval() {
        return intervalSeconds + ThreadLocalRandom.current().nextInt(intervalSeconds / 20 + 1);
    }

    public int minInterval() {
        return minIntervalSeconds;
    }

    public AccessList accessList() {
        return accessList.get();
    }

    /** A UDP reply carries peers of the socket's family only: the one the announcer used. */
    public static PeerFamilies udpFamilies(byte[] normalisedIp) {
        return normalisedIp.length == 4 ? PeerFamilies.V4 : PeerFamilies.V6;
    }
}
