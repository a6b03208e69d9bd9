package io.shoal.tracker.protocol;

import java.net.InetAddress;

public final class PeerAddresses {
    private PeerAddresses() {
    }

    public static byte[] normalise(InetAddress a) {
        throw new UnsupportedOperationException();
    }

    public static String toText(byte[] ip) {
        throw new UnsupportedOperationException();
    }
}
