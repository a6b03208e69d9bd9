package io.shoal.tracker.loadgen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bencode reader that accepts dictionary keys in any order. BEP 3 requires sorted keys and the project's own
 * decoder ({@link io.shoal.tracker.protocol.Bencode}) insists on them; this one exists only so that the load
 * generator can measure a tracker that sends them unsorted (opentracker's scrape does), when asked to with
 * {@code --allow-unsorted-keys}. Same value types as the strict decoder; bounded depth; throws
 * IllegalArgumentException on anything else malformed.
 */
final class LenientBencode {
    private static final int MAX_DEPTH = 32;
    private final byte[] in;
    private final int end;
    private int pos;

    private LenientBencode(byte[] in, int off, int len) {
        this.in = in;
        this.pos = off;
        this.end = off + len;
    }

    static Object decode(byte[] data, int off, int len) {
        LenientBencode reader = new LenientBencode(data, off, len);
        Object value = reader.value(0);
        if (reader.pos != reader.end) {
            throw new IllegalArgumentException("bencode: trailing bytes");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("bencode: nested too deep");
        }
        int c = peek();
        if (c == 'i') {
            pos++;
            return number('e');
        }
        if (c >= '0' && c <= '9') {
            return string();
        }
        if (c == 'l') {
            pos++;
            List<Object> items = new ArrayList<>();
            while (peek() != 'e') {
                items.add(value(depth + 1));
            }
            pos++;
            return items;
        }
        if (c == 'd') {
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            while (peek() != 'e') {
                String key = new String(string(), StandardCharsets.ISO_8859_1);
                if (map.put(key, value(depth + 1)) != null) {
                    throw new IllegalArgumentException("bencode: repeated key");
                }
            }
            pos++;
            return map;
        }
        throw new IllegalArgumentException("bencode: unexpected byte " + c);
    }

    private byte[] string() {
        long len = number(':');
        if (len < 0 || len > end - pos) {
            throw new IllegalArgumentException("bencode: string length out of range");
        }
        byte[] s = Arrays.copyOfRange(in, pos, pos + (int) len);
        pos += (int) len;
        return s;
    }

    private long number(char terminator) {
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        long v = 0;
        int digits = 0;
        while (peek() != terminator) {
            int c = in[pos++];
            if (c < '0' || c > '9' || ++digits > 18) {
                throw new IllegalArgumentException("bencode: bad number");
            }
            v = v * 10 + (c - '0');
        }
        pos++;
        if (digits == 0) {
            throw new IllegalArgumentException("bencode: empty number");
        }
        return negative ? -v : v;
    }

    private int peek() {
        if (pos >= end) {
            throw new IllegalArgumentException("bencode: truncated");
        }
        return in[pos];
    }
}
