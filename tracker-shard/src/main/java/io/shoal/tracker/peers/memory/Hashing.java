package io.shoal.tracker.peers.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * Hash functions and raw reads of the store's tables. Clients choose info hashes and ports freely, so every hash
 * starts from a seed drawn at start-up: collisions cannot be precomputed to pile entries into one probe chain.
 */
final class Hashing {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long SEED = new SecureRandom().nextLong();
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Hashing() {
    }

    static int readInt(byte[] bytes, int offset) {
        return (int) INT.get(bytes, offset);
    }

    static long readLong(byte[] bytes, int offset) {
        return (long) LONG.get(bytes, offset);
    }

    static void writeInt(byte[] bytes, int offset, int value) {
        INT.set(bytes, offset, value);
    }

    static void writeLong(byte[] bytes, int offset, long value) {
        LONG.set(bytes, offset, value);
    }

    /** 64-bit hash of an info hash given as its three big-endian words (bytes 0-7, 8-15, 16-19). */
    static long infoHash(long w0, long w1, int w2) {
        long h = mix(SEED ^ w0);
        h = mix(h ^ w1);
        return mix(h ^ (w2 & 0xFFFF_FFFFL));
    }

    /** Hash of a peer's (address, port); {@code addressLength} is 4 or 16 bytes starting at {@code offset}. */
    static int peer(byte[] address, int offset, int addressLength, int port) {
        long h = SEED ^ port;
        for (int i = 0; i < addressLength; i += 4) {
            h = (h ^ (readInt(address, offset + i) & 0xFFFF_FFFFL)) * GOLDEN;
        }
        return (int) mix(h);
    }

    /** The 64-bit finaliser of MurmurHash3: every input bit affects every output bit. */
    static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        x ^= x >>> 33;
        return x;
    }
}
