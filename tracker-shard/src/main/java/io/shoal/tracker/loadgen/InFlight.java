package io.shoal.tracker.loadgen;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The window of outstanding requests. A transaction id carries its slot in the low 16 bits and a per-slot
 * generation in the high 16 bits, so a reply finds its request in O(1) and a reply to a slot's earlier use does
 * not match its current one. Transaction ids of timed-out requests are remembered (bounded) so that a reply
 * arriving after its timeout is told apart from a reply to something never sent.
 */
final class InFlight {
    static final int MAX_WINDOW = 1 << 16;
    private static final int SLOT_MASK = MAX_WINDOW - 1;
    private static final int REMEMBERED_TIMEOUTS = 100_000;

    final byte[] kind;
    final byte[] phase;
    final byte[] socket;
    final int[] client;
    final int[] torrent;
    final int[] event;
    final int[][] hashes;
    final int[] hashCount;
    final long[] sentAt;
    private final int[] transactionId;
    private final int[] generation;
    private final int[] free;
    private int freeCount;
    private final Set<Integer> timedOut = new HashSet<>();
    private final ArrayDeque<Integer> timedOutOrder = new ArrayDeque<>();

    InFlight(int window, int maxHashes) {
        if (window < 1 || window >= MAX_WINDOW) {
            throw new IllegalArgumentException("window must be 1.." + (MAX_WINDOW - 1));
        }
        kind = new byte[window];
        phase = new byte[window];
        socket = new byte[window];
        client = new int[window];
        torrent = new int[window];
        event = new int[window];
        hashes = new int[window][maxHashes];
        hashCount = new int[window];
        sentAt = new long[window];
        transactionId = new int[window];
        generation = new int[window];
        free = new int[window];
        for (int i = 0; i < window; i++) {
            free[i] = window - 1 - i;
        }
        freeCount = window;
    }

    int capacity() {
        return free.length;
    }

    int size() {
        return free.length - freeCount;
    }

    boolean isFull() {
        return freeCount == 0;
    }

    /** Takes a free slot and gives it a fresh transaction id; -1 when the window is full. */
    int acquire() {
        if (freeCount == 0) {
            return -1;
        }
        int slot = free[--freeCount];
        int gen = (generation[slot] + 1) & 0xFFFF;
        generation[slot] = gen;
        transactionId[slot] = (gen << 16) | slot;
        return slot;
    }

    int transactionId(int slot) {
        return transactionId[slot];
    }

    /** The busy slot this transaction id belongs to, or -1. */
    int slotOf(int tid) {
        int slot = tid & SLOT_MASK;
        if (slot >= kind.length || kind[slot] == 0 || transactionId[slot] != tid) {
            return -1;
        }
        return slot;
    }

    void release(int slot) {
        kind[slot] = 0;
        free[freeCount++] = slot;
    }

    /** Releases the slot as timed out, remembering its transaction id for {@link #wasTimedOut}. */
    void releaseTimedOut(int slot) {
        Integer tid = transactionId[slot];
        if (timedOut.add(tid)) {
            timedOutOrder.addLast(tid);
            if (timedOutOrder.size() > REMEMBERED_TIMEOUTS) {
                timedOut.remove(timedOutOrder.removeFirst());
            }
        }
        release(slot);
    }

    /** Whether this id belonged to a request that timed out (answers once per id). */
    boolean wasTimedOut(int tid) {
        return timedOut.remove(tid);
    }

    boolean isBusy(int slot) {
        return kind[slot] != 0;
    }
}
