package io.shoal.tracker.peers.memory;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The peers of one address family in one swarm, packed so that no object exists per peer. Entry {@code i}
 * lives at the same position of parallel arrays:
 * <ul>
 *   <li>{@code addresses}: the compact form (address then port, network order) back to back, so a reply is
 *       assembled by copying bytes;</li>
 *   <li>{@code ids}: the 20-byte peer ids, apart from the addresses because only non-compact replies read them;</li>
 *   <li>{@code stamps}: {@code expiresAt << 1 | seeder}, the expiry in seconds of the store's own epoch.</li>
 * </ul>
 * Entries are dense ({@code 0..size-1}); removal moves the last entry into the hole. Lookup by (address, port)
 * is a scan while the table is tiny (most swarms are) and an open-addressing index of entry numbers beyond.
 * Arrays grow by half when full (a tighter fit than doubling for the many small swarms) and halve when a
 * quarter full. Not thread-safe: the swarm's stripe lock guards it.
 */
final class PeerTable {
    static final int ID_LENGTH = 20;
    static final int MIN_CAPACITY = 1;
    /** Up to this capacity a linear scan costs about what hashing does, and the table needs no index array. */
    static final int SCAN_LIMIT = 16;

    private final int addressLength;
    private byte[] addresses;
    private byte[] ids;
    private int[] stamps;
    /** Entry number + 1 per slot, 0 for a free slot; at least twice the capacity, so at most half full. */
    private int[] index;
    private int size;
    private int seeders;

    PeerTable(int addressLength) {
        if (addressLength != 4 && addressLength != 16) {
            throw new IllegalArgumentException("address length must be 4 or 16");
        }
        this.addressLength = addressLength;
        this.addresses = new byte[MIN_CAPACITY * stride()];
        this.ids = new byte[MIN_CAPACITY * ID_LENGTH];
        this.stamps = new int[MIN_CAPACITY];
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
        return stamps.length;
    }

    /** Bytes of one compact entry: the address and 2 bytes of port. */
    int stride() {
        return addressLength + 2;
    }

    boolean isSeeder(int entry) {
        return (stamps[entry] & 1) != 0;
    }

    int expiresAt(int entry) {
        return stamps[entry] >> 1;
    }

    /** Copies entry's compact form (address + port) to {@code dst}. */
    void copyCompact(int entry, byte[] dst, int offset) {
        int stride = stride();
        System.arraycopy(addresses, entry * stride, dst, offset, stride);
    }

    void copyId(int entry, byte[] dst, int offset) {
        System.arraycopy(ids, entry * ID_LENGTH, dst, offset, ID_LENGTH);
    }

    /** The entry of (ip, port), or -1. */
    int find(byte[] ip, int port) {
        if (index == null) {
            for (int i = 0; i < size; i++) {
                if (matches(i, ip, port)) {
                    return i;
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

    /** Adds a peer the caller knows is absent; returns its entry. */
    int add(byte[] ip, int port, byte[] peerId, int expiresAt, boolean seeder) {
        if (size == stamps.length) {
            resize(stamps.length + Math.max(1, stamps.length >> 1));
        }
        int entry = size++;
        int offset = entry * stride();
        System.arraycopy(ip, 0, addresses, offset, addressLength);
        addresses[offset + addressLength] = (byte) (port >>> 8);
        addresses[offset + addressLength + 1] = (byte) port;
        System.arraycopy(peerId, 0, ids, entry * ID_LENGTH, ID_LENGTH);
        stamps[entry] = stamp(expiresAt, seeder);
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
        System.arraycopy(peerId, 0, ids, entry * ID_LENGTH, ID_LENGTH);
        stamps[entry] = stamp(expiresAt, seeder);
        seeders += (seeder ? 1 : 0) - (was ? 1 : 0);
        return was;
    }

    /** Removes an entry; the last entry takes its number. */
    void remove(int entry) {
        removeAt(entry);
        shrinkIfSparse();
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
            int expiresAt = stamps[i] >> 1;
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
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int at = random.nextInt(n);
        int step = n <= 2 ? 1 : coprimeStep(random, n);
        int picked = 0;
        for (int visited = 0; visited < n && picked < want; visited++) {
            if (at != skip && (stamps[at] >> 1) > now) {
                System.arraycopy(addresses, at * stride, out, outOffset + picked * stride, stride);
                if (idsOut != null) {
                    System.arraycopy(ids, at * ID_LENGTH, idsOut, idsOffset + picked * ID_LENGTH, ID_LENGTH);
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

    private static int coprimeStep(ThreadLocalRandom random, int n) {
        int step = 1 + random.nextInt(n - 1);
        while (gcd(step, n) != 1) {
            step = step == n - 1 ? 1 : step + 1;
        }
        return step;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static int stamp(int expiresAt, boolean seeder) {
        return expiresAt << 1 | (seeder ? 1 : 0);
    }

    private void removeAt(int entry) {
        if (isSeeder(entry)) {
            seeders--;
        }
        int last = size - 1;
        int stride = stride();
        if (index != null) {
            indexDelete(indexSlotOf(entry));
        }
        if (entry != last) {
            System.arraycopy(addresses, last * stride, addresses, entry * stride, stride);
            System.arraycopy(ids, last * ID_LENGTH, ids, entry * ID_LENGTH, ID_LENGTH);
            stamps[entry] = stamps[last];
            if (index != null) {
                index[indexSlotOf(last)] = entry + 1;
            }
        }
        size = last;
    }

    private void shrinkIfSparse() {
        int target = stamps.length;
        while (target > MIN_CAPACITY && size <= target / 4) {
            target >>= 1;
        }
        if (target != stamps.length) {
            resize(target);
        }
    }

    private void resize(int capacity) {
        int stride = stride();
        addresses = Arrays.copyOf(addresses, capacity * stride);
        ids = Arrays.copyOf(ids, capacity * ID_LENGTH);
        stamps = Arrays.copyOf(stamps, capacity);
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
        int offset = entry * stride();
        for (int k = 0; k < addressLength; k += 4) {
            if (Hashing.readInt(addresses, offset + k) != Hashing.readInt(ip, k)) {
                return false;
            }
        }
        return portAt(offset) == port;
    }

    private int portAt(int offset) {
        return (addresses[offset + addressLength] & 0xff) << 8 | (addresses[offset + addressLength + 1] & 0xff);
    }

    private int homeSlot(int entry) {
        int offset = entry * stride();
        return Hashing.peer(addresses, offset, addressLength, portAt(offset)) & (index.length - 1);
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
