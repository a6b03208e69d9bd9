package io.shoal.tracker.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit PRF, used as the MAC of connection ids.
 *
 * <p>The message can be a byte range followed by an optional 4-byte big-endian suffix, so that a connection id
 * (client address plus issue time) is hashed without building a buffer first.
 */
final class SipHash24 {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SipHash24() {
    }

    static long hash(long k0, long k1, byte[] data, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        return hash(k0, k1, data, off, len, 0, 0);
    }

    /** Hash of {@code data} followed by the 4 bytes of {@code suffix} in network (big-endian) order. */
    static long hashWithSuffix(long k0, long k1, byte[] data, int suffix) {
        return hash(k0, k1, data, 0, data.length, suffix, 4);
    }

    /** Reads a SipHash key word: bytes {@code off..off+7} of a 16-byte key, little-endian as the algorithm defines. */
    static long keyWord(byte[] key, int off) {
        return (long) LONG_LE.get(key, off);
    }

    private static long hash(long k0, long k1, byte[] data, int off, int len, int suffix, int suffixLen) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int total = len + suffixLen;
        int fullEnd = total & ~7;
        // The last block (0..7 message bytes) carries the total length in its top byte.
        for (int i = 0; i <= fullEnd; i += 8) {
            long m;
            if (i < fullEnd) {
                m = i + 8 <= len ? (long) LONG_LE.get(data, off + i) : word(data, off, len, suffix, i, 8);
            } else {
                m = ((long) total << 56) | word(data, off, len, suffix, i, total - i);
            }
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** Little-endian word of {@code count} message bytes starting at message position {@code start}. */
    private static long word(byte[] data, int off, int len, int suffix, int start, int count) {
        long w = 0;
        for (int j = 0; j < count; j++) {
            int p = start + j;
            long b = p < len ? data[off + p] & 0xFF : (suffix >>> (8 * (3 - (p - len)))) & 0xFF;
            w |= b << (8 * j);
        }
        return w;
    }
}
