package io.shoal.tracker.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A raw query string split into (name, raw bytes) pairs in order. Percent-decoding is binary-safe, because
 * {@code info_hash} and {@code peer_id} are arbitrary bytes; {@code +} is a space. Characters above U+00FF (which a
 * client cannot have meant as a byte) and bad {@code %} escapes are refused.
 *
 * <p>Bounded: at most {@link #MAX_PARAMETERS} parameters, names of at most {@link #MAX_NAME_BYTES} bytes and values
 * of at most {@link #MAX_VALUE_BYTES} decoded bytes; beyond that {@link ProtocolException}. A tracker parses with
 * {@link #parse(CharSequence, Set)}: only the parameters it reads are kept, decoded and bounded; any other is
 * skipped unread (the HTTP request line limit bounds the query as a whole), so that a client's extra parameters
 * can never fail its request.
 */
public final class HttpQuery {
    public static final int MAX_PARAMETERS = 256;
    public static final int MAX_NAME_BYTES = 64;
    public static final int MAX_VALUE_BYTES = 1024;

    private static final HttpQuery EMPTY = new HttpQuery(new String[0], new byte[0][], 0);

    private final String[] names;
    private final byte[][] values;
    private final int size;

    private HttpQuery(String[] names, byte[][] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    /** Parses the part after {@code ?} (without any {@code #fragment}); null or empty gives no parameters. */
    public static HttpQuery parse(CharSequence rawQuery) {
        return parse(rawQuery, null);
    }

    /**
     * Parses only the parameters whose (decoded) name is in {@code wanted}, or every parameter when it is null. Names
     * of other parameters that do not decode, and their values whatever they hold, are skipped without an error.
     */
    public static HttpQuery parse(CharSequence rawQuery, Set<String> wanted) {
        if (rawQuery == null || rawQuery.length() == 0) {
            return EMPTY;
        }
        int capacity = 16;
        String[] names = new String[capacity];
        byte[][] values = new byte[capacity][];
        int size = 0;
        int len = rawQuery.length();
        int start = 0;
        while (start <= len) {
            int end = indexOf(rawQuery, '&', start, len);
            int eq = end > start ? indexOf(rawQuery, '=', start, end) : end;
            String name = end <= start ? null
                    : wanted == null ? decodeName(rawQuery, start, eq) : wantedName(rawQuery, start, eq, wanted);
            if (name != null) {
                if (size == MAX_PARAMETERS) {
                    throw new ProtocolException("too many parameters");
                }
                if (size == capacity) {
                    capacity = Math.min(capacity * 2, MAX_PARAMETERS);
                    names = Arrays.copyOf(names, capacity);
                    values = Arrays.copyOf(values, capacity);
                }
                names[size] = name;
                values[size] = eq < end ? decode(rawQuery, eq + 1, end, MAX_VALUE_BYTES, "parameter value too long")
                                        : new byte[0];
                size++;
            }
            start = end + 1;
        }
        return new HttpQuery(names, values, size);
    }

    /** Every value of {@code name} in order; empty when absent. */
    public List<byte[]> values(String name) {
        List<byte[]> found = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                found.add(values[i]);
            }
        }
        return found;
    }

    /** The first value of {@code name}, or null when absent. */
    public byte[] first(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** The first value as ISO-8859-1 text (one char per byte), or null when absent. */
    public String firstString(String name) {
        byte[] v = first(name);
        return v == null ? null : new String(v, StandardCharsets.ISO_8859_1);
    }

    public int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                n++;
            }
        }
        return n;
    }

    /** Number of parameters, in order; with {@link #name(int)} and {@link #value(int)} allows one pass over all. */
    int size() {
        return size;
    }

    String name(int i) {
        return names[i];
    }

    byte[] value(int i) {
        return values[i];
    }

    private static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return to;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** True when the range needs no decoding: no escapes, no '+', ASCII only. */
    private static boolean isPlain(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+' || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String decodeName(CharSequence s, int from, int to) {
        if (to - from <= MAX_NAME_BYTES && isPlain(s, from, to)) {
            return s.subSequence(from, to).toString();
        }
        return new String(decode(s, from, to, MAX_NAME_BYTES, "parameter name too long"), StandardCharsets.ISO_8859_1);
    }

    /** The decoded name when it is one of {@code wanted}; null for any other, including names that do not decode. */
    private static String wantedName(CharSequence s, int from, int to, Set<String> wanted) {
        if (to - from > MAX_NAME_BYTES * 3) {
            return null;
        }
        if (isPlain(s, from, to)) {
            String name = s.subSequence(from, to).toString();
            return wanted.contains(name) ? name : null;
        }
        StringBuilder name = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < to ? hexValue(s.charAt(i + 1)) : -1;
                int lo = i + 2 < to ? hexValue(s.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    return null;
                }
                name.append((char) (hi << 4 | lo));
                i += 2;
            } else if (c == '+') {
                name.append(' ');
            } else if (c <= 0xFF) {
                name.append(c);
            } else {
                return null;
            }
        }
        String decoded = name.toString();
        return wanted.contains(decoded) ? decoded : null;
    }

    private static byte[] decode(CharSequence s, int from, int to, int max, String tooLong) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '%') {
                i += 2;
            }
            n++;
        }
        if (n > max) {
            throw new ProtocolException(tooLong);
        }
        byte[] out = new byte[n];
        int o = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    throw new ProtocolException("malformed query");
                }
                int hi = hexValue(s.charAt(i + 1));
                int lo = hexValue(s.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new ProtocolException("malformed query");
                }
                out[o++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                out[o++] = ' ';
            } else if (c <= 0xFF) {
                out[o++] = (byte) c;
            } else {
                throw new ProtocolException("malformed query");
            }
        }
        return out;
    }
}
