package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.peers.SwarmCounts;
import java.util.Arrays;

/**
 * Builds a full-scrape document ({@code d5:filesd...ee}) from torrents visited in any order. Entries are kept packed in
 * primitive arrays (no object per torrent) and sorted by hash on {@link #finish()}, as bencode dictionaries require.
 * A hash added twice is written once (its first counts). Not thread-safe: feed it from one visitor.
 */
public final class FullScrapeWriter {
    /** The document of this many torrents stays well below the 2 GiB a Java array can hold. */
    public static final int LIMIT = 20_000_000;

    private final int maxTorrents;
    private byte[] hashes = new byte[20 * 64];
    private long[] numbers = new long[3 * 64];   // seeders, leechers, downloaded per torrent
    private int size;
    private boolean finished;

    public FullScrapeWriter() {
        this(LIMIT);
    }

    /** A writer that refuses (IllegalStateException) more than {@code maxTorrents} torrents. */
    public FullScrapeWriter(int maxTorrents) {
        if (maxTorrents < 0 || maxTorrents > LIMIT) {
            throw new IllegalArgumentException("maxTorrents must be between 0 and " + LIMIT);
        }
        this.maxTorrents = maxTorrents;
    }

    public void add(byte[] hash, SwarmCounts c) {
        if (finished) {
            throw new IllegalStateException("already finished");
        }
        if (hash.length != 20) {
            throw new IllegalArgumentException("hash must be 20 bytes");
        }
        if (size == maxTorrents) {
            throw new IllegalStateException("full scrape larger than " + maxTorrents + " torrents");
        }
        if (size * 20 == hashes.length) {
            int grown = (int) Math.min((long) size * 2, maxTorrents);
            hashes = Arrays.copyOf(hashes, grown * 20);
            numbers = Arrays.copyOf(numbers, grown * 3);
        }
        System.arraycopy(hash, 0, hashes, size * 20, 20);
        numbers[size * 3] = c.seeders();
        numbers[size * 3 + 1] = c.leechers();
        numbers[size * 3 + 2] = c.downloaded();
        size++;
    }

    public int size() {
        return size;
    }

    /** The bencoded document; the writer cannot be used afterwards. */
    public byte[] finish() {
        if (finished) {
            throw new IllegalStateException("already finished");
        }
        finished = true;
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        mergeSort(order, new int[size], 0, size);
        ByteBuf out = Unpooled.buffer((int) Math.min(16L + size * 72L, Integer.MAX_VALUE - 8));
        try {
            Bencode.beginDict(out);
            out.writeBytes(Bencode.key("files"));
            Bencode.beginDict(out);
            int previous = -1;
            for (int i : order) {
                if (previous < 0 || compare(previous, i) != 0) {
                    HttpReplies.fileEntry(out, hashes, i * 20, numbers[i * 3], numbers[i * 3 + 1], numbers[i * 3 + 2]);
                }
                previous = i;
            }
            Bencode.end(out);
            Bencode.end(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
            hashes = null;
            numbers = null;
        }
    }

    private int compare(int a, int b) {
        return Arrays.compareUnsigned(hashes, a * 20, a * 20 + 20, hashes, b * 20, b * 20 + 20);
    }

    // Stable merge sort of indices: O(n log n) whatever the hashes (clients choose them, so no quadratic worst case).
    private void mergeSort(int[] a, int[] tmp, int from, int to) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid);
        mergeSort(a, tmp, mid, to);
        if (compare(a[mid - 1], a[mid]) <= 0) {
            return;
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && compare(tmp[i], tmp[j]) <= 0)) {
                a[k] = tmp[i++];
            } else {
                a[k] = tmp[j++];
            }
        }
    }
}
