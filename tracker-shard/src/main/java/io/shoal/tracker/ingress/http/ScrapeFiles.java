package io.shoal.tracker.ingress.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One shard's bencoded scrape answer, read just enough to merge it with others: either its {@code failure reason},
 * or the entries of its {@code files} dictionary as byte ranges of the body (values are checked for shape and copied
 * as they are, never decoded). Bencode dictionaries are sorted by raw key bytes, so answers of shards that own
 * disjoint hashes merge like sorted lists; {@link #merge} writes the merged document.
 *
 * <p>Reading is bounded by the body, which the HTTP client already bounds, and by {@link #MAX_DEPTH}; anything that
 * is not a well-formed answer (unsorted or repeated keys included) is an {@link IllegalArgumentException}.
 */
final class ScrapeFiles {
    static final int MAX_DEPTH = 8;
    private static final byte[] FILES = "files".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "failure reason".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LENGTH_DIGITS = 9;

    private final ByteBuf body;
    private final String failure;
    /** Per entry: start of the key's length prefix, start of the key's bytes, key length, end of the value. */
    private final int[] spans;
    private final int size;

    private ScrapeFiles(ByteBuf body, String failure, int[] spans, int size) {
        this.body = body;
        this.failure = failure;
        this.spans = spans;
        this.size = size;
    }

    /** Reads {@code body} (from its reader index to its writer index); the body must stay alive while this is used. */
    static ScrapeFiles read(ByteBuf body) {
        int pos = body.readerIndex();
        int end = body.writerIndex();
        Reader r = new Reader(body, end);
        r.expect(pos, 'd');
        pos++;
        String failure = null;
        int[] spans = new int[0];
        int size = 0;
        int previousKey = -1;
        int previousKeyLen = 0;
        while (r.at(pos) != 'e') {
            int keyLen = r.stringLength(pos);
            int keyStart = r.afterLength(pos);
            if (previousKey >= 0 && r.compare(previousKey, previousKeyLen, keyStart, keyLen) >= 0) {
                throw new IllegalArgumentException("answer keys not sorted");
            }
            previousKey = keyStart;
            previousKeyLen = keyLen;
            int value = keyStart + keyLen;
            if (r.equals(keyStart, keyLen, FAILURE)) {
                int len = r.stringLength(value);
                int from = r.afterLength(value);
                failure = body.toString(from, len, StandardCharsets.UTF_8);
                pos = from + len;
            } else if (r.equals(keyStart, keyLen, FILES)) {
                r.expect(value, 'd');
                int p = value + 1;
                int count = 0;
                int[] s = new int[64];
                while (r.at(p) != 'e') {
                    int hashLen = r.stringLength(p);
                    int hashStart = r.afterLength(p);
                    if (count > 0 && r.compare(s[(count - 1) * 4 + 1], s[(count - 1) * 4 + 2], hashStart, hashLen) >= 0) {
                        throw new IllegalArgumentException("files not sorted");
                    }
                    int valueEnd = r.skip(hashStart + hashLen, 2);
                    if ((count + 1) * 4 > s.length) {
                        s = Arrays.copyOf(s, s.length * 2);
                    }
                    s[count * 4] = p;
                    s[count * 4 + 1] = hashStart;
                    s[count * 4 + 2] = hashLen;
                    s[count * 4 + 3] = valueEnd;
                    count++;
                    p = valueEnd;
                }
                spans = s;
                size = count;
                pos = p + 1;
            } else {
                pos = r.skip(value, 1);
            }
        }
        if (pos + 1 != end) {
            throw new IllegalArgumentException("trailing bytes after the answer");
        }
        return new ScrapeFiles(body, failure, spans, size);
    }

    /** The shard's {@code failure reason}, or null when it answered. */
    String failure() {
        return failure;
    }

    int size() {
        return size;
    }

    /**
     * Writes {@code d5:filesd...ee} with the entries of every part in key order; a key found in several parts is
     * written once, from the first part holding it. Returns the number of entries written.
     */
    static int merge(List<ScrapeFiles> parts, ByteBuf out) {
        out.writeBytes("d5:filesd".getBytes(StandardCharsets.US_ASCII));
        int n = parts.size();
        int[] next = new int[n];
        int written = 0;
        ScrapeFiles lastPart = null;
        int lastEntry = -1;
        while (true) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                ScrapeFiles p = parts.get(i);
                if (next[i] < p.size && (best < 0 || compare(p, next[i], parts.get(best), next[best]) < 0)) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            ScrapeFiles p = parts.get(best);
            int e = next[best]++;
            if (lastPart != null && compare(lastPart, lastEntry, p, e) == 0) {
                continue;
            }
            int from = p.spans[e * 4];
            out.writeBytes(p.body, from, p.spans[e * 4 + 3] - from);
            lastPart = p;
            lastEntry = e;
            written++;
        }
        out.writeByte('e').writeByte('e');
        return written;
    }

    private static int compare(ScrapeFiles a, int i, ScrapeFiles b, int j) {
        int aFrom = a.spans[i * 4 + 1];
        int aLen = a.spans[i * 4 + 2];
        int bFrom = b.spans[j * 4 + 1];
        int bLen = b.spans[j * 4 + 2];
        int common = Math.min(aLen, bLen);
        for (int k = 0; k < common; k++) {
            int x = a.body.getByte(aFrom + k) & 0xFF;
            int y = b.body.getByte(bFrom + k) & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return aLen - bLen;
    }

    /** Bounds-checked steps over bencode in a buffer. */
    private record Reader(ByteBuf b, int end) {

        int at(int pos) {
            if (pos >= end) {
                throw new IllegalArgumentException("answer truncated");
            }
            return b.getByte(pos);
        }

        void expect(int pos, char c) {
            if (at(pos) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at byte " + pos);
            }
        }

        /** The length of the string whose length prefix starts at {@code pos}, checked to fit the buffer. */
        int stringLength(int pos) {
            long len = 0;
            int p = pos;
            for (int c = at(p); c != ':'; c = at(++p)) {
                if (c < '0' || c > '9' || p - pos >= MAX_LENGTH_DIGITS || (p > pos && len == 0)) {
                    throw new IllegalArgumentException("bad string length at byte " + pos);
                }
                len = len * 10 + (c - '0');
            }
            if (p == pos || p + 1 + len > end) {
                throw new IllegalArgumentException("bad string length at byte " + pos);
            }
            return (int) len;
        }

        /** Where the bytes of the string whose length prefix starts at {@code pos} begin. */
        int afterLength(int pos) {
            return b.indexOf(pos, end, (byte) ':') + 1;
        }

        /** The end of the value starting at {@code pos}. */
        int skip(int pos, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("answer nested too deep");
            }
            int c = at(pos);
            if (c == 'i') {
                int p = pos + 1;
                if (at(p) == '-') {
                    p++;
                }
                int digits = p;
                while (at(p) != 'e') {
                    if (at(p) < '0' || at(p) > '9' || p - digits > 19) {
                        throw new IllegalArgumentException("bad integer at byte " + pos);
                    }
                    p++;
                }
                if (p == digits) {
                    throw new IllegalArgumentException("bad integer at byte " + pos);
                }
                return p + 1;
            }
            if (c >= '0' && c <= '9') {
                return afterLength(pos) + stringLength(pos);
            }
            if (c == 'l' || c == 'd') {
                int p = pos + 1;
                while (at(p) != 'e') {
                    if (c == 'd') {
                        p = afterLength(p) + stringLength(p);
                    }
                    p = skip(p, depth + 1);
                }
                return p + 1;
            }
            throw new IllegalArgumentException("unexpected byte at " + pos);
        }

        boolean equals(int from, int len, byte[] key) {
            if (len != key.length) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (b.getByte(from + i) != key[i]) {
                    return false;
                }
            }
            return true;
        }

        int compare(int aFrom, int aLen, int bFrom, int bLen) {
            int common = Math.min(aLen, bLen);
            for (int k = 0; k < common; k++) {
                int x = b.getByte(aFrom + k) & 0xFF;
                int y = b.getByte(bFrom + k) & 0xFF;
                if (x != y) {
                    return x - y;
                }
            }
            return aLen - bLen;
        }
    }
}
