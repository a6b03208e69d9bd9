package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bencode (BEP 3). Writers append straight to a {@link ByteBuf}; dictionary keys must be written in sorted raw-byte
 * order by the caller ({@link #key(String)} pre-encodes constant keys once).
 *
 * <p>The decoder is strict and bounded, meant for tests and tools reading tracker answers: it rejects unsorted or
 * repeated keys, leading zeros, trailing bytes, and input deeper or larger than its limits. Dictionaries decode to
 * {@code Map<String, Object>} in document order, with keys as ISO-8859-1 strings (so binary keys such as info hashes
 * keep every byte); integers to {@link Long}; strings to {@code byte[]}; lists to {@link List}.
 */
public final class Bencode {
    public static final int MAX_DECODE_DEPTH = 32;
    public static final int MAX_DECODE_BYTES = 64 * 1024 * 1024;

    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private Bencode() {
    }

    /** The encoded form {@code <len>:<key>} of a constant string, to write with {@code out.writeBytes(...)}. */
    public static byte[] key(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] len = Integer.toString(k.length).getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(len, len.length + 1 + k.length);
        all[len.length] = ':';
        System.arraycopy(k, 0, all, len.length + 1, k.length);
        return all;
    }

    public static void writeString(ByteBuf out, byte[] value) {
        writeString(out, value, 0, value.length);
    }

    public static void writeString(ByteBuf out, byte[] value, int off, int len) {
        writeDecimal(out, len);
        out.writeByte(':');
        out.writeBytes(value, off, len);
    }

    /** Writes the UTF-8 bytes of {@code value}. */
    public static void writeString(ByteBuf out, String value) {
        writeDecimal(out, ByteBufUtil.utf8Bytes(value));
        out.writeByte(':');
        ByteBufUtil.writeUtf8(out, value);
    }

    public static void writeInt(ByteBuf out, long value) {
        out.writeByte('i');
        writeDecimal(out, value);
        out.writeByte('e');
    }

    public static void beginDict(ByteBuf out) {
        out.writeByte('d');
    }

    public static void beginList(ByteBuf out) {
        out.writeByte('l');
    }

    /** Ends the innermost dictionary or list. */
    public static void end(ByteBuf out) {
        out.writeByte('e');
    }

    /** ASCII decimal without an intermediate String. */
    static void writeDecimal(ByteBuf out, long value) {
        if (value == Long.MIN_VALUE) {
            out.writeBytes(MIN_LONG);
            return;
        }
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        if (value < 10) {
            out.writeByte((int) ('0' + value));
            return;
        }
        int digits = 1;
        for (long p = value / 10; p != 0; p /= 10) {
            digits++;
        }
        int end = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (int i = end - 1; i >= end - digits; i--) {
            out.setByte(i, (int) ('0' + value % 10));
            value /= 10;
        }
        out.writerIndex(end);
    }

    public static Object decode(byte[] data) {
        return decode(data, MAX_DECODE_DEPTH);
    }

    /** Decodes exactly one value filling all of {@code data}; IllegalArgumentException on anything malformed. */
    public static Object decode(byte[] data, int maxDepth) {
        if (data.length > MAX_DECODE_BYTES) {
            throw new IllegalArgumentException("bencode: input larger than " + MAX_DECODE_BYTES + " bytes");
        }
        Decoder d = new Decoder(data, maxDepth);
        Object value = d.value(0);
        if (d.pos != data.length) {
            throw d.error("trailing bytes");
        }
        return value;
    }

    private static final class Decoder {
        private final byte[] in;
        private final int maxDepth;
        private int pos;

        Decoder(byte[] in, int maxDepth) {
            this.in = in;
            this.maxDepth = maxDepth;
        }

        Object value(int depth) {
            int c = peek();
            if (c == 'i') {
                pos++;
                long v = number('e');
                return v;
            }
            if (c >= '0' && c <= '9') {
                return string();
            }
            if (c == 'l' || c == 'd') {
                if (depth >= maxDepth) {
                    throw error("nested deeper than " + maxDepth);
                }
                pos++;
                return c == 'l' ? list(depth + 1) : dict(depth + 1);
            }
            throw error("unexpected byte " + c);
        }

        private List<Object> list(int depth) {
            List<Object> items = new ArrayList<>();
            while (peek() != 'e') {
                items.add(value(depth));
            }
            pos++;
            return items;
        }

        private Map<String, Object> dict(int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            byte[] previous = null;
            while (peek() != 'e') {
                if (peek() < '0' || peek() > '9') {
                    throw error("dictionary key is not a string");
                }
                byte[] k = string();
                if (previous != null && Arrays.compareUnsigned(previous, k) >= 0) {
                    throw error("dictionary keys not sorted or repeated");
                }
                previous = k;
                map.put(new String(k, StandardCharsets.ISO_8859_1), value(depth));
            }
            pos++;
            return map;
        }

        private byte[] string() {
            long len = number(':');
            if (len < 0 || len > in.length - pos) {
                throw error("string length out of range");
            }
            byte[] s = Arrays.copyOfRange(in, pos, pos + (int) len);
            pos += (int) len;
            return s;
        }

        /** A canonical decimal (no leading zeros, no "-0") ended by {@code terminator}. */
        private long number(char terminator) {
            int start = pos;
            boolean negative = peek() == '-';
            if (negative) {
                pos++;
            }
            int digitsStart = pos;
            long v = 0;
            while (peek() != terminator) {
                int c = in[pos];
                if (c < '0' || c > '9') {
                    throw error("bad digit");
                }
                if (v < Long.MIN_VALUE / 10 || v * 10 < Long.MIN_VALUE + (c - '0')) {
                    throw error("number out of range");
                }
                v = v * 10 - (c - '0');   // accumulate negatively: reaches Long.MIN_VALUE
                pos++;
            }
            int digits = pos - digitsStart;
            if (digits == 0 || (digits > 1 && in[digitsStart] == '0') || (negative && in[digitsStart] == '0')) {
                pos = start;
                throw error("non-canonical number");
            }
            pos++;
            if (negative) {
                return v;
            }
            if (v == Long.MIN_VALUE) {
                throw error("number out of range");
            }
            return -v;
        }

        private int peek() {
            if (pos >= in.length) {
                throw error("truncated");
            }
            return in[pos];
        }

        IllegalArgumentException error(String why) {
            return new IllegalArgumentException("bencode: " + why + " at byte " + pos);
        }
    }
}
