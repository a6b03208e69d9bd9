package io.shoal.tracker.peers.memory;

import java.util.function.ToIntFunction;

/**
 * The swarms of one stripe in an open-addressing table keyed by info hash, so a lookup allocates nothing and
 * a torrent costs one slot rather than a map entry and a key object. Linear probing, at most half full,
 * backward-shift deletion. Guarded by the stripe's lock.
 */
final class SwarmMap {
    static final int MIN_CAPACITY = 8;

    private final ToIntFunction<Swarm> hashOf;
    private Swarm[] slots = new Swarm[MIN_CAPACITY];
    private int size;

    SwarmMap() {
        this(Swarm::hash);
    }

    /** @param hashOf a swarm's hash, the same the callers of {@link #get} pass (tests choose colliding ones) */
    SwarmMap(ToIntFunction<Swarm> hashOf) {
        this.hashOf = hashOf;
    }

    int size() {
        return size;
    }

    int capacity() {
        return slots.length;
    }

    /** The swarm in a slot, or null; for walks over the whole table. */
    Swarm at(int slot) {
        return slots[slot];
    }

    Swarm get(int hash, long w0, long w1, int w2) {
        int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            Swarm s = slots[slot];
            if (s == null) {
                return null;
            }
            if (s.is(w0, w1, w2)) {
                return s;
            }
        }
    }

    /** Adds a swarm whose info hash is not in the map yet. */
    void add(Swarm swarm) {
        if ((size + 1) * 2 > slots.length) {
            resize(slots.length * 2);
        }
        insert(slots, swarm);
        size++;
    }

    void remove(Swarm swarm) {
        int mask = slots.length - 1;
        int slot = hashOf.applyAsInt(swarm) & mask;
        while (slots[slot] != swarm) {
            slot = (slot + 1) & mask;
        }
        removeAt(slot);
        shrinkIfSparse();
    }

    /**
     * Empties a slot. A swarm from later in the probe run may move into it, so a walk that removes as it goes
     * looks at the same slot again; it may meet a swarm it already saw (one that wrapped around), never miss one.
     */
    void removeAt(int hole) {
        int mask = slots.length - 1;
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            Swarm s = slots[j];
            if (s == null) {
                break;
            }
            int home = hashOf.applyAsInt(s) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[hole] = s;
                hole = j;
            }
        }
        slots[hole] = null;
        size--;
    }

    /** Halves the table while it is at most an eighth full; walks call this once they are done. */
    void shrinkIfSparse() {
        int target = slots.length;
        while (target > MIN_CAPACITY && size * 8 <= target) {
            target >>= 1;
        }
        if (target != slots.length) {
            resize(target);
        }
    }

    void clear() {
        slots = new Swarm[MIN_CAPACITY];
        size = 0;
    }

    private void resize(int capacity) {
        Swarm[] bigger = new Swarm[capacity];
        for (Swarm s : slots) {
            if (s != null) {
                insert(bigger, s);
            }
        }
        slots = bigger;
    }

    private void insert(Swarm[] table, Swarm swarm) {
        int mask = table.length - 1;
        int slot = hashOf.applyAsInt(swarm) & mask;
        while (table[slot] != null) {
            slot = (slot + 1) & mask;
        }
        table[slot] = swarm;
    }
}
