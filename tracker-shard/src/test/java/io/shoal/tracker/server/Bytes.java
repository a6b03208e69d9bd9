package io.shoal.tracker.server;

import io.shoal.tracker.testing.TrackerRequests;
import java.util.HexFormat;

/** Byte helpers for server tests. */
final class Bytes {
    private Bytes() {
    }

    /** A 20-byte value derived from a label, distinct per label. */
    static byte[] id20(int label) {
        byte[] b = new byte[20];
        for (int i = 0; i < 20; i++) {
            b[i] = (byte) (label * 31 + i * 7 + (label >>> 8));
        }
        b[0] = (byte) label;
        b[1] = (byte) (label >>> 8);
        return b;
    }

    /** Every byte percent-encoded, as clients send binary values. */
    static String pct(byte[] bytes) {
        return TrackerRequests.pct(bytes);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
