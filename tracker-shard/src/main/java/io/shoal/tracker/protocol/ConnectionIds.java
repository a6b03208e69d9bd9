package io.shoal.tracker.protocol;

import java.time.Duration;

public final class ConnectionIds {
    public ConnectionIds(byte[] key16, Duration grace) {
        throw new UnsupportedOperationException();
    }

    public long issue(byte[] clientIp, long nowEpochSeconds) {
        throw new UnsupportedOperationException();
    }

    public boolean isValid(long connectionId, byte[] clientIp, long nowEpochSeconds) {
        throw new UnsupportedOperationException();
    }

    public static byte[] randomKey() {
        throw new UnsupportedOperationException();
    }

    public static byte[] parseKey(String text) {
        throw new UnsupportedOperationException();
    }
}
