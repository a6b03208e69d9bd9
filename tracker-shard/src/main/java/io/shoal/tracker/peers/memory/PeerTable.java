package io.shoal.tracker.peers.memory;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The peers of one address family in one swarm, packed so that no object exists per peer. Entry {@code i} is
 * {@code entryLength()} bytes at {@code i * entryLength()} of one array:
 * <ul>
 *   <li>the compact form (address then port, network order), so a reply is assembled by copying bytes;</li>
 *   <li>a stamp, {@code expiresAt << 1 | seeder}, the expiry in seconds of the store's own epoch;</li>
 *   <li>the 20-byte peer id (only non-compact replies read it).</li>
 * </ul>
 * One array rather than one per field saves two array headers and two references per table, which is most of
 * what a small swarm costs beyond its peers. Entries are dense ({@code 0..size-1}); removal moves the last entry
 * into the hole. Lookup by (address, port) is a scan while the table is tiny (most swarms are) and an
 * open-addressing index of entry numbers beyond. Arrays grow one entry at a time while small (exact fit for the
 * many small swarms, and copying a few dozen bytes is cheap) and by a quarter beyond, and halve when a quarter
 * full. Not thread-safe: the swarm's stripe lock guards it.
 *
 * <p>Not final: a {@link Swarm} is its own IPv4 table, which saves a table object per torrent.
 */
abstract class PeerTable {
    static final int ID_LENGTH = 20;
    static final int MIN_CAPACITY = 1;
    /** Up to this capacity a linear scan costs about what hashing does, and the table needs no index array. */
    static final int SCAN_LIMIT = 16;
    /** Below this capacity a table grows by one entry; above, by a quarter. */
    static final int EXACT_GROWTH_LIMIT = 8;
    private static final int STAMP_LENGTH = 4;
    private static final byte[] NO_ENTRIES = new byte[0];
    /** Strides of the random walk in {@link #pick}; primes, so each is coprime with most sizes. */
    private static final int[] STEP_PRIMES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67,
        71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181,
        191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307, 311,
        313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389, 397, 401, 409, 419, 421, 431, 433, 439, 443,
        449, 457, 461, 463, 467, 479, 487, 491, 499, 503, 509, 521, 523, 541};

    private byte[] data;
    /** Entry number + 1 per slot, 0 for a free slot; at least twice the capacity, so at most half full. */
    private int[] index;
    private int size;
    private int seeders;

    /**
     * @param addressLength 4 or 16, what {@link #addressLength()} will answer
     * @param capacity      entries to make room for (0: no storage until the first peer)
     */
    PeerTable(int addressLength, int capacity) {
        if (addressLength != 4 && addressLength != 16) {
            throw new IllegalArgumentException("address length must be 4 or 16");
        }
        this.data = capacity == 0 ? NO_ENTRIES : new byte[capacity * (addressLength + 2 + STAMP_LENGTH + ID_LENGTH)];
    }

    /** A table of its own (not a swarm's), with room for one entry. */
    static PeerTable of(int addressLength) {
        return new Standalone(addressLength);
    }

    /**
     * 4 (IPv4) or 16 (IPv6). A method rather than a field: a field would push a {@link Swarm}, which is a table,
     * over a multiple of 8 bytes and cost 8 bytes per torrent.
     */
    abstract int addressLength();

    /** A table that is not a swarm: the IPv6 peers of a swarm. */
    private static final class Standalone extends PeerTable {
        private final int addressLength;

        Standalone(int addressLength) {
            super(addressLength, MIN_CAPACITY);
            this.addressLength = addressLength;
        }

        @Override
        int addressLength() {
            return addressLength;
        }
    }

    int size() {
        return size;
    }

    int seeders() {
        return seeders;
    }

    int leechers() {
        return size - seeders;
    }

    int capacity() {
        return data.length / entryLength();
    }

    /** Bytes of one compact entry: the address and 2 bytes of port. */
    final int stride() {
        return addressLength() + 2;
    }

    private int entryLength() {
        return addressLength() + 2 + STAMP_LENGTH + ID_LENGTH;
    }

    private int stampAt(int entry) {
        return Hashing.readInt(data, entry * entryLength() + addressLength() + 2);
    }

    boolean isSeeder(int entry) {
        return (stampAt(entry) & 1) != 0;
    }

    int expiresAt(int entry) {
        return stampAt(entry) >> 1;
    }

    /** Copies entry's compact form (address + port) to {@code dst}. */
    void copyCompact(int entry, byte[] dst, int offset) {
        System.arraycopy(data, entry * entryLength(), dst, offset, stride());
    }

    void copyId(int entry, byte[] dst, int offset) {
        System.arraycopy(data, entry * entryLength() + stride() + STAMP_LENGTH, dst, offset, ID_LENGTH);
    }

    /** The entry of (ip, port), or -1. */
    int find(byte[] ip, int port) {
        int addressLength = addressLength();
        if (index == null) {
            // the scan of a small table: hoisted reads of the wanted address, one compare per word per entry
            int entryLength = addressLength + 2 + STAMP_LENGTH + ID_LENGTH;
            int first = Hashing.readInt(ip, 0);
            int end = size * entryLength;
            for (int off = 0; off < end; off += entryLength) {
                if (Hashing.readInt(data, off) == first && matchesRest(off, ip, addressLength, port)) {
                    return off / entryLength;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int slot = Hashing.peer(ip, 0, addressLength, port) & mask; ; slot = (slot + 1) & mask) {
            int v = index[slot];
            if (v == 0) {
                return -1;
            }
            if (matches(v - 1, ip, port)) {
                return v - 1;
            }
        }
    }

    /** The words of the address after the first, and the port, of the entry at {@code off}. */
    private boolean matchesRest(int off, byte[] ip, int addressLength, int port) {
        for (int k = 4; k < addressLength; k += 4) {
            if (Hashing.readInt(data, off + k) != Hashing.readInt(ip, k)) {
                return false;
            }
        }
        return ((data[off + addressLength] & 0xff) << 8 | (data[off + addressLength + 1] & 0xff)) == port;
    }

    /** Adds a peer the caller knows is absent; returns its entry. */
    int add(byte[] ip, int port, byte[] peerId, int expiresAt, boolean seeder) {
        int capacity = capacity();
        if (size == capacity) {
            resize(capacity < EXACT_GROWTH_LIMIT ? capacity + 1 : capacity + (capacity >> 2));
        }
        int entry = size++;
        int offset = entry * entryLength();
        System.arraycopy(ip, 0, data, offset, addressLength());
        data[offset + addressLength()] = (byte) (port >>> 8);
        data[offset + addressLength() + 1] = (byte) port;
        Hashing.writeInt(data, offset + stride(), stamp(expiresAt, seeder));
        System.arraycopy(peerId, 0, data, offset + stride() + STAMP_LENGTH, ID_LENGTH);
        if (seeder) {
            seeders++;
        }
        if (index != null) {
            indexInsert(entry);
        }
        return entry;
    }

    /** Refreshes an entry with a new id, expiry and seeder flag; returns whether it was a seeder before. */
    boolean refresh(int entry, byte[] peerId, int expiresAt, boolean seeder) {
        boolean was = isSeeder(entry);
        int offset = entry * entryLength() + stride();
        Hashing.writeInt(data, offset, stamp(expiresAt, seeder));
        System.arraycopy(peerId, 0, data, offset + STAMP_LENGTH, ID_LENGTH);
        seeders += (seeder ? 1 : 0) - (was ? 1 : 0);
        return was;
    }

    /** Removes an entry; the last entry takes its number. */
    void remove(int entry) {
        removeAt(entry);
        shrinkIfSparse();
    }

    /** Gives up the storage of an empty table (a swarm's own table while it has no IPv4 peer). */
    final void release() {
        if (size != 0) {
            throw new IllegalStateException("table is not empty");
        }
        data = NO_ENTRIES;
        index = null;
    }

    /**
     * Removes every entry expiring at or before {@code now}.
     *
     * @return the earliest expiry among the entries left, {@link Integer#MAX_VALUE} when none is left
     */
    int removeExpired(int now) {
        int earliest = Integer.MAX_VALUE;
        boolean removed = false;
        int i = 0;
        while (i < size) {
            int expiresAt = stampAt(i) >> 1;
            if (expiresAt <= now) {
                removeAt(i); // the last entry moved into i: look at i again
                removed = true;
            } else {
                earliest = Math.min(earliest, expiresAt);
                i++;
            }
        }
        if (removed) {
            shrinkIfSparse();
        }
        return earliest;
    }

    /**
     * Copies up to {@code want} live entries, chosen at random, into {@code out} (compact form) and, when
     * {@code idsOut} is not null, their ids into {@code idsOut} in the same order. The walk starts at a random
     * entry and steps by a random stride coprime with the size, so it visits every entry at most once.
     *
     * @param skip the announcer's own entry, or -1
     * @return how many entries were copied
     */
    int pick(int want, int skip, int now, byte[] out, int outOffset, byte[] idsOut, int idsOffset) {
        int n = size;
        if (want <= 0 || n == 0) {
            return 0;
        }
        int stride = stride();
        int entryLength = entryLength();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int at = random.nextInt(n);
        // When every candidate is wanted (the common case: most swarms are smaller than numwant) the order does
        // not matter, so the walk needs no random stride.
        int candidates = skip >= 0 && skip < n ? n - 1 : n;
        int step = n <= 2 || want >= candidates ? 1 : coprimeStep(random, n);
        int picked = 0;
        for (int visited = 0; visited < n && picked < want; visited++) {
            int offset = at * entryLength;
            if (at != skip && (Hashing.readInt(data, offset + stride) >> 1) > now) {
                System.arraycopy(data, offset, out, outOffset + picked * stride, stride);
                if (idsOut != null) {
                    System.arraycopy(data, offset + stride + STAMP_LENGTH, idsOut, idsOffset + picked * ID_LENGTH,
                            ID_LENGTH);
                }
                picked++;
            }
            at += step;
            if (at >= n) {
                at -= n;
            }
        }
        return picked;
    }

    /**
     * A random step in 1..n-1 coprime with {@code n}: a prime that does not divide {@code n} is coprime with it,
     * so a random prime from a table, skipping the few that divide {@code n}, needs no gcd loop (which showed up
     * in profiles at a sixth of the store's time).
     */
    static int coprimeStep(ThreadLocalRandom random, int n) {
        int start = random.nextInt(STEP_PRIMES.length);
        for (int i = 0; i < STEP_PRIMES.length; i++) {
            int p = STEP_PRIMES[(start + i) % STEP_PRIMES.length];
            if (n % p != 0) {
                return p % n;
            }
        }
        return 1; // n is a multiple of every prime in the table: beyond any table size
    }

    private static int stamp(int expiresAt, boolean seeder) {
        return expiresAt << 1 | (seeder ? 1 : 0);
    }

    private void removeAt(int entry) {
        if (isSeeder(entry)) {
            seeders--;
        }
        int last = size - 1;
        if (index != null) {
            indexDelete(indexSlotOf(entry));
        }
        if (entry != last) {
            int entryLength = entryLength();
            System.arraycopy(data, last * entryLength, data, entry * entryLength, entryLength);
            if (index != null) {
                index[indexSlotOf(last)] = entry + 1;
            }
        }
        size = last;
    }

    private void shrinkIfSparse() {
        int capacity = capacity();
        int target = capacity;
        while (target > MIN_CAPACITY && size <= target / 4) {
            target >>= 1;
        }
        if (target != capacity) {
            resize(target);
        }
    }

    private void resize(int capacity) {
        data = Arrays.copyOf(data, capacity * entryLength());
        if (capacity <= SCAN_LIMIT) {
            index = null;
        } else {
            index = new int[Integer.highestOneBit(capacity * 2 - 1) << 1];
            for (int i = 0; i < size; i++) {
                indexInsert(i);
            }
        }
    }

    private boolean matches(int entry, byte[] ip, int port) {
        int offset = entry * entryLength();
        for (int k = 0; k < addressLength(); k += 4) {
            if (Hashing.readInt(data, offset + k) != Hashing.readInt(ip, k)) {
                return false;
            }
        }
        return portAt(offset) == port;
    }

    private int portAt(int offset) {
        return (data[offset + addressLength()] & 0xff) << 8 | (data[offset + addressLength() + 1] & 0xff);
    }

    private int homeSlot(int entry) {
        int offset = entry * entryLength();
        return Hashing.peer(data, offset, addressLength(), portAt(offset)) & (index.length - 1);
    }
    private void indexInsert(int entry) {
        int mask = index.length - 1;
        int slot = homeSlot(entry);
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = entry + 1;
    }

    private int indexSlotOf(int entry) {
        int mask = index.length - 1;
        int slot = homeSlot(entry);
        while (index[slot] != entry + 1) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /**
     * Frees a slot of the linear-probing index by moving later entries of its probe run back into the hole
     * (backward-shift deletion), so that lookups never need tombstones.
     */
    private void indexDelete(int hole) {
        int mask = index.length - 1;
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            int v = index[j];
            if (v == 0) {
                break;
            }
            int home = homeSlot(v - 1);
            // the entry at j may move to the hole only if the hole lies on its probe path (home .. j)
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                index[hole] = v;
                hole = j;
            }
        }
        index[hole] = 0;
    }
}
