package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.SwarmCounts;
import java.util.List;

public final class UdpReplies {
    private UdpReplies() {
    }

    public static void connect(ByteBuf out, int transactionId, long connectionId) {
        throw new UnsupportedOperationException();
    }

    public static void announce(ByteBuf out, int transactionId, int interval, AnnounceResult r, boolean ipv6) {
        throw new UnsupportedOperationException();
    }

    public static void scrape(ByteBuf out, int transactionId, List<SwarmCounts> counts) {
        throw new UnsupportedOperationException();
    }

    public static void error(ByteBuf out, int transactionId, String message) {
        throw new UnsupportedOperationException();
    }
}
