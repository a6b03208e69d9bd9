package io.shoal.tracker.peers.redis;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Field {@code c} of a torrent's peer hash as the scripts pack it (see prelude.lua): n4, n6, s as 32-bit integers,
 * d, t, e as doubles, little endian. For tests that look at or tamper with the counters.
 */
record PackedCounters(int n4, int n6, int seeders, long downloaded, long refreshedAt, long floor) {

    static final int SIZE = 36;

    static PackedCounters decode(byte[] c) {
        if (c == null || c.length != SIZE) {
            throw new IllegalArgumentException("not packed counters: " + (c == null ? "null" : c.length + " bytes"));
        }
        ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        return new PackedCounters(b.getInt(), b.getInt(), b.getInt(),
                (long) b.getDouble(), (long) b.getDouble(), (long) b.getDouble());
    }

    byte[] encode() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(n4).putInt(n6).putInt(seeders)
                .putDouble(downloaded).putDouble(refreshedAt).putDouble(floor)
                .array();
    }

    PackedCounters withCounts(int newN4, int newN6, int newSeeders) {
        return new PackedCounters(newN4, newN6, newSeeders, downloaded, refreshedAt, floor);
    }
}
