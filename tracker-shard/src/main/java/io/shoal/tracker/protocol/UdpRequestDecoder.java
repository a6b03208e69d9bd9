package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;

public final class UdpRequestDecoder {
    public static final int MAX_DATAGRAM = 1500;
    public static final int MAX_SCRAPE_HASHES = 74;

    private UdpRequestDecoder() {
    }

    public static UdpRequest decode(ByteBuf datagram) {
        throw new UnsupportedOperationException();
    }
}
