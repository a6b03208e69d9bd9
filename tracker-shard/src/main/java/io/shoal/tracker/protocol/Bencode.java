package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;

public final class Bencode {
    private Bencode() {
    }

    public static void writeString(ByteBuf out, byte[] value) {
        throw new UnsupportedOperationException();
    }

    public static void writeString(ByteBuf out, String value) {
        throw new UnsupportedOperationException();
    }

    public static void writeInt(ByteBuf out, long value) {
        throw new UnsupportedOperationException();
    }

    public static void beginDict(ByteBuf out) {
        throw new UnsupportedOperationException();
    }

    public static void beginList(ByteBuf out) {
        throw new UnsupportedOperationException();
    }

    public static void end(ByteBuf out) {
        throw new UnsupportedOperationException();
    }

    public static Object decode(byte[] data) {
        throw new UnsupportedOperationException();
    }
}
