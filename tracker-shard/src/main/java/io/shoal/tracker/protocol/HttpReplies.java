package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.SwarmCounts;
import java.util.List;

public final class HttpReplies {
    private HttpReplies() {
    }

    public static void announce(ByteBuf out, AnnounceResult r, int interval, int minInterval,
                                boolean compact, boolean noPeerId, String warning) {
        throw new UnsupportedOperationException();
    }

    public static void scrape(ByteBuf out, List<byte[]> infoHashes, List<SwarmCounts> counts) {
        throw new UnsupportedOperationException();
    }

    public static void failure(ByteBuf out, String reason) {
        throw new UnsupportedOperationException();
    }

    public static void failure(ByteBuf out, String reason, int retryInMinutes) {
        throw new UnsupportedOperationException();
    }
}
