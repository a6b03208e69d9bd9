package io.shoal.tracker.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * An immutable set of infohashes with a mode. Lookups are a binary search over sorted raw hashes:
 * no allocation per request, which matters because every announce and scrape asks.
 */
public final class AccessList {

    /** Serves every torrent: deny mode with nothing listed. */
    public static final AccessList OPEN = new AccessList(AccessMode.DENY, new byte[0][]);

    private static final HexFormat HEX = HexFormat.of();

    private final AccessMode mode;
    private final byte[][] sorted;

    private AccessList(AccessMode mode, byte[][] sorted) {
        this.mode = mode;
        this.sorted = sorted;
    }

    public static AccessList of(AccessMode mode, List<byte[]> hashes) {
        byte[][] copy = new byte[hashes.size()][];
        for (int i = 0; i < copy.length; i++) {
            byte[] h = hashes.get(i);
            if (h.length != 20) {
                throw new IllegalArgumentException("an info hash is 20 bytes");
            }
            copy[i] = h.clone();
        }
        Arrays.sort(copy, Arrays::compareUnsigned);
        int distinct = 0;
        for (int i = 0; i < copy.length; i++) {
            if (distinct == 0 || !Arrays.equals(copy[distinct - 1], copy[i])) {
                copy[distinct++] = copy[i];
            }
        }
        return new AccessList(mode, Arrays.copyOf(copy, distinct));
    }

    /**
     * Reads the file format: one 40-hex-digit infohash per line; {@code #} starts a comment; blank lines and
     * surrounding spaces are ignored. A line that is not a hash is passed to {@code badLine} (text, 1-based
     * line number) and skipped.
     */
    public static AccessList parse(AccessMode mode, List<String> lines, ObjIntConsumer<String> badLine) {
        List<byte[]> hashes = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (text.isEmpty()) {
                continue;
            }
            if (text.length() != 40) {
                badLine.accept(line, i + 1);
                continue;
            }
            try {
                hashes.add(HEX.parseHex(text));
            } catch (IllegalArgumentException e) {
                badLine.accept(line, i + 1);
            }
        }
        return of(mode, hashes);
    }

    public boolean allows(byte[] infoHash) {
        if (sorted.length == 0) {
            return mode == AccessMode.DENY;
        }
        boolean listed = contains(infoHash);
        return mode == AccessMode.ALLOW ? listed : !listed;
    }

    /** True when every hash is served, so callers can skip per-hash checks. */
    public boolean allowsAll() {
        return mode == AccessMode.DENY && sorted.length == 0;
    }

    public AccessMode mode() {
        return mode;
    }

    public int size() {
        return sorted.length;
    }

    private boolean contains(byte[] h) {
        int lo = 0;
        int hi = sorted.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(sorted[mid], h);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
