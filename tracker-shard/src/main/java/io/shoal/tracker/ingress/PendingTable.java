package io.shoal.tracker.ingress;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Requests one event loop has forwarded and not yet seen answered, in fixed arrays: no object per request
 * beyond what the datagrams need, and a hard bound on how many can be in flight. Used by its event loop only.
 *
 * <p>A correlation id is the slot index in the low {@link #INDEX_BITS} bits under random high bits, so a reply
 * finds its slot with one array read and a forged or late reply (a different id in that slot) finds nothing.
 */
final class PendingTable {
    static final int INDEX_BITS = 20;
    static final int MAX_CAPACITY = 1 << INDEX_BITS;
    private static final long INDEX_MASK = MAX_CAPACITY - 1;

    private final long[] ids;
    private final long[] deadlines;
    private final long[] starts;
    private final int[] txs;
    private final int[] shards;
    private final byte[] kinds;
    private final InetSocketAddress[] clients;
    private final InetSocketAddress[] replicas;
    private final Channel[] replyChannels;
    private final ScrapeJoin[] joins;
    private final int[] parts;
    private final int[] free;
    private int freeCount;

    PendingTable(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("pending capacity must be 1.." + MAX_CAPACITY);
        }
        ids = new long[capacity];
        deadlines = new long[capacity];
        starts = new long[capacity];
        txs = new int[capacity];
        shards = new int[capacity];
        kinds = new byte[capacity];
        clients = new InetSocketAddress[capacity];
        replicas = new InetSocketAddress[capacity];
        replyChannels = new Channel[capacity];
        joins = new ScrapeJoin[capacity];
        parts = new int[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    int capacity() {
        return ids.length;
    }

    int inFlight() {
        return ids.length - freeCount;
    }

    /** Takes a slot and returns its correlation id, or 0 when the table is full. */
    long add(long deadline, long start, int tx, int shard, IngressMetrics.Kind kind, InetSocketAddress client,
             InetSocketAddress replica, Channel replyChannel, ScrapeJoin join, int part) {
        if (freeCount == 0) {
            return 0;
        }
        int i = free[--freeCount];
        // Bit 63 set keeps every id non-zero, so 0 can mean "free".
        long id = (ThreadLocalRandom.current().nextLong() & ~INDEX_MASK) | Long.MIN_VALUE | i;
        ids[i] = id;
        deadlines[i] = deadline;
        starts[i] = start;
        txs[i] = tx;
        shards[i] = shard;
        kinds[i] = (byte) kind.ordinal();
        clients[i] = client;
        replicas[i] = replica;
        replyChannels[i] = replyChannel;
        joins[i] = join;
        parts[i] = part;
        return id;
    }

    /** The slot of a live correlation id, or -1 when none matches (never issued, answered already, timed out). */
    int find(long id) {
        int i = (int) (id & INDEX_MASK);
        return i < ids.length && id != 0 && ids[i] == id ? i : -1;
    }

    void remove(int i) {
        ids[i] = 0;
        clients[i] = null;
        replicas[i] = null;
        replyChannels[i] = null;
        joins[i] = null;
        free[freeCount++] = i;
    }

    /** Calls {@code expired} for (and then removes) every entry whose deadline is before {@code now}. */
    void expire(long now, java.util.function.IntConsumer expired) {
        if (freeCount == ids.length) {
            return;
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != 0 && now - deadlines[i] > 0) {
                expired.accept(i);
                remove(i);
            }
        }
    }

    long start(int i) {
        return starts[i];
    }

    int tx(int i) {
        return txs[i];
    }

    int shard(int i) {
        return shards[i];
    }

    IngressMetrics.Kind kind(int i) {
        return KINDS[kinds[i]];
    }

    InetSocketAddress client(int i) {
        return clients[i];
    }

    InetSocketAddress replica(int i) {
        return replicas[i];
    }

    Channel replyChannel(int i) {
        return replyChannels[i];
    }

    ScrapeJoin join(int i) {
        return joins[i];
    }

    int part(int i) {
        return parts[i];
    }

    private static final IngressMetrics.Kind[] KINDS = IngressMetrics.Kind.values();
}
