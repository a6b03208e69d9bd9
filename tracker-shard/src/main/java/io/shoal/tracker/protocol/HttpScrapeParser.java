package io.shoal.tracker.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Reads the info hashes of a BEP 48 scrape query. */
public final class HttpScrapeParser {
    /** The parameters a scrape is read from, for {@link HttpQuery#parse(CharSequence, Set)}. */
    public static final Set<String> PARAMETERS = Set.of("info_hash");

    private HttpScrapeParser() {
    }

    /**
     * Every {@code info_hash} value, each exactly 20 bytes, duplicates dropped (first order kept). An empty list asks
     * for a full scrape. More than {@code maxHashes} distinct hashes is refused.
     */
    public static List<byte[]> parse(HttpQuery q, int maxHashes) {
        List<byte[]> hashes = new ArrayList<>(4);
        for (int i = 0, n = q.size(); i < n; i++) {
            if (!q.name(i).equals("info_hash")) {
                continue;
            }
            byte[] h = q.value(i);
            if (h.length != 20) {
                throw new ProtocolException("info_hash must be 20 bytes");
            }
            if (!contains(hashes, h)) {
                if (hashes.size() == maxHashes) {
                    throw new ProtocolException("too many info_hash values");
                }
                hashes.add(h);
            }
        }
        return hashes;
    }

    // Linear: the query holds at most HttpQuery.MAX_PARAMETERS values, and usually one.
    private static boolean contains(List<byte[]> hashes, byte[] h) {
        for (byte[] seen : hashes) {
            if (Arrays.equals(seen, h)) {
                return true;
            }
        }
        return false;
    }
}
