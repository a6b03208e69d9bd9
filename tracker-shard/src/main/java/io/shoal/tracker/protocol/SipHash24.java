package io.shoal.tracker.protocol;

final class SipHash24 {
    private SipHash24() {
    }

    static long hash(long k0, long k1, byte[] data, int off, int len) {
        throw new UnsupportedOperationException();
    }
}
