package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.AnnounceResult;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** Pure helper for taking a random part of a draw. */
final class PeerSplit {

    private PeerSplit() {
    }

    /**
     * {@code want} entries of width {@code width} taken at random out of the {@code count} packed in
     * {@code entries} (all of them, as they are, when there are not more).
     */
    static byte[] take(byte[] entries, int count, int width, int want) {
        int n = Math.min(want, count);
        if (n <= 0) {
            return AnnounceResult.NONE;
        }
        if (n < count) {
            // a partial Fisher-Yates: a draw of the whole set comes back in the set's own order, not shuffled
            ThreadLocalRandom random = ThreadLocalRandom.current();
            byte[] tmp = new byte[width];
            for (int i = 0; i < n; i++) {
                int j = i + random.nextInt(count - i);
                if (j != i) {
                    System.arraycopy(entries, i * width, tmp, 0, width);
                    System.arraycopy(entries, j * width, entries, i * width, width);
                    System.arraycopy(tmp, 0, entries, j * width, width);
                }
            }
        }
        int length = n * width;
        return length == entries.length ? entries : Arrays.copyOf(entries, length);
    }
}
