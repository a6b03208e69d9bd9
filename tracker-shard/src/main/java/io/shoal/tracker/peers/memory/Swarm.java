package io.shoal.tracker.peers.memory;

import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.NumwantSplit;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.peers.SwarmCounts;
import java.util.Arrays;

/**
 * One torrent: its info hash held inline (three words rather than an array), a packed table per address family,
 * and its download count. Guarded by its stripe's lock.
 *
 * <p>A swarm IS its IPv4 table (it extends {@link PeerTable}) rather than pointing to one: most torrents have a
 * handful of IPv4 peers, and a separate table would cost an object header, a reference and padding per torrent,
 * about 4 bytes per peer at ten peers a swarm. The inherited table has no storage while it has no peer. The IPv6
 * table is a separate object, absent while the swarm has no IPv6 peer.
 */
final class Swarm extends PeerTable {
    private final long w0;
    private final long w1;
    private final int w2;
    private PeerTable v6;
    /** Saturates at {@link Integer#MAX_VALUE}: no torrent is completed two billion times. */
    private int downloaded;
    /**
     * No peer expires before this second: a lower bound, exact right after a sweep. Without peers: when the
     * retention of the download count ends.
     */
    private int earliestExpiry = Integer.MAX_VALUE;

    Swarm(long w0, long w1, int w2) {
        super(4, 0);
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
    }

    @Override
    int addressLength() {
        return 4;
    }

    /**
     * Low half of the info hash's 64-bit hash: where {@link SwarmMap} starts probing. Computed when needed (a few
     * multiplications) rather than kept: a field would cost 8 bytes per torrent after padding.
     */
    int hash() {
        return (int) Hashing.infoHash(w0, w1, w2);
    }

    boolean is(long word0, long word1, int word2) {
        return w0 == word0 && w1 == word1 && w2 == word2;
    }

    byte[] infoHash() {
        byte[] out = new byte[20];
        Hashing.writeLong(out, 0, w0);
        Hashing.writeLong(out, 8, w1);
        Hashing.writeInt(out, 16, w2);
        return out;
    }

    /** The table of a family, or null while the family has no peer. */
    PeerTable table(boolean ipv6) {
        return ipv6 ? v6 : v4();
    }

    private PeerTable v4() {
        return size() == 0 ? null : this;
    }

    PeerTable tableForAdding(boolean ipv6) {
        if (ipv6) {
            if (v6 == null) {
                v6 = PeerTable.of(16);
            }
            return v6;
        }
        return this;
    }

    /** Removes an entry and drops its table's storage once empty. */
    void remove(PeerTable table, int entry) {
        table.remove(entry);
        if (table.size() == 0) {
            if (table == this) {
                release();
            } else {
                v6 = null;
            }
        }
    }

    /** Seeders of both families. */
    int allSeeders() {
        return seeders() + (v6 == null ? 0 : v6.seeders());
    }

    /** Leechers of both families. */
    int allLeechers() {
        return leechers() + (v6 == null ? 0 : v6.leechers());
    }

    boolean isEmpty() {
        return size() == 0 && v6 == null;
    }

    long downloaded() {
        return downloaded;
    }

    void countDownload() {
        if (downloaded < Integer.MAX_VALUE) {
            downloaded++;
        }
    }

    SwarmCounts counts() {
        return new SwarmCounts(allSeeders(), allLeechers(), downloaded);
    }

    void noteExpiry(int expiresAt) {
        if (expiresAt < earliestExpiry) {
            earliestExpiry = expiresAt;
        }
    }

    /** For a swarm without peers: the second its retention ends ({@link Integer#MAX_VALUE}: none pending). */
    void keepUntil(int second) {
        earliestExpiry = second;
    }

    /** True when a peer may have expired, or, for a swarm without peers, when its retention is over. */
    boolean sweepDue(int now) {
        return now >= earliestExpiry;
    }

    /** Drops every peer expired at {@code now}; afterwards no peer left is expired before the next second. */
    void sweep(int now) {
        int earliest = Integer.MAX_VALUE;
        if (size() > 0) {
            earliest = Math.min(earliest, removeExpired(now));
            if (size() == 0) {
                release();
            }
        }
        if (v6 != null) {
            earliest = Math.min(earliest, v6.removeExpired(now));
            if (v6.size() == 0) {
                v6 = null;
            }
        }
        earliestExpiry = earliest;
    }

    /**
     * The reply to an announcer: counts and up to {@code numwant} random live peers of the wanted families.
     * With both families, numwant is shared in proportion to what each family can offer.
     *
     * @param self      the announcer's table, or null when it is not kept
     * @param selfEntry the announcer's entry in {@code self}
     */
    AnnounceResult reply(PeerFamilies families, int numwant, boolean wantIds, PeerTable self, int selfEntry, int now) {
        PeerTable v4 = v4();
        int available4 = families.wantsV4() ? available(v4, self) : 0;
        int available6 = families.wantsV6() ? available(v6, self) : 0;
        int want4 = NumwantSplit.wanted4(numwant, available4, available6);
        int want6 = NumwantSplit.wanted6(numwant, available4, available6);
        byte[] peers4 = AnnounceResult.NONE;
        byte[] ids4 = wantIds ? AnnounceResult.NONE : null;
        if (want4 > 0) {
            peers4 = new byte[want4 * 6];
            ids4 = wantIds ? new byte[want4 * PeerTable.ID_LENGTH] : null;
            int got = v4.pick(want4, v4 == self ? selfEntry : -1, now, peers4, 0, ids4, 0);
            peers4 = trim(peers4, got * 6);
            ids4 = trim(ids4, got * PeerTable.ID_LENGTH);
        }
        byte[] peers6 = AnnounceResult.NONE;
        byte[] ids6 = wantIds ? AnnounceResult.NONE : null;
        if (want6 > 0) {
            peers6 = new byte[want6 * 18];
            ids6 = wantIds ? new byte[want6 * PeerTable.ID_LENGTH] : null;
            int got = v6.pick(want6, v6 == self ? selfEntry : -1, now, peers6, 0, ids6, 0);
            peers6 = trim(peers6, got * 18);
            ids6 = trim(ids6, got * PeerTable.ID_LENGTH);
        }
        return new AnnounceResult(allSeeders(), allLeechers(), downloaded, peers4, peers6, ids4, ids6);
    }

    private static int available(PeerTable table, PeerTable self) {
        if (table == null) {
            return 0;
        }
        return table == self ? table.size() - 1 : table.size();
    }

    /** Shortens a reply array in the rare case that expired entries were skipped. */
    private static byte[] trim(byte[] bytes, int length) {
        return bytes == null || bytes.length == length ? bytes : Arrays.copyOf(bytes, length);
    }
}
