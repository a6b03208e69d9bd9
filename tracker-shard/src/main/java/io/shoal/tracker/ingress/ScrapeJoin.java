package io.shoal.tracker.ingress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * A scrape whose hashes live on several shards: one part per shard, each answered separately, merged into one
 * reply in the client's order of hashes. The first part that fails ends the whole scrape with that failure;
 * parts answered after that are ignored. Used by one event loop only.
 */
final class ScrapeJoin {
    final InetSocketAddress client;
    final Channel replyChannel;
    final int tx;
    final long start;
    /** For each part, the positions (in the client's request) of its hashes. */
    private final int[][] positions;
    /** seeders, completed, leechers per hash, in the client's order. */
    private final byte[] counts;
    private int outstanding;
    private boolean finished;

    ScrapeJoin(InetSocketAddress client, Channel replyChannel, int tx, long start, int[][] positions, int hashes) {
        this.client = client;
        this.replyChannel = replyChannel;
        this.tx = tx;
        this.start = start;
        this.positions = positions;
        this.counts = new byte[12 * hashes];
        this.outstanding = positions.length;
    }

    int parts() {
        return positions.length;
    }

    int[] positions(int part) {
        return positions[part];
    }

    boolean isFinished() {
        return finished;
    }

    /** Whether {@code replyLength} bytes of scrape reply fit part {@code part}: 8 header bytes, 12 per hash. */
    boolean fits(int part, int replyLength) {
        return replyLength == 8 + 12 * positions[part].length;
    }

    /**
     * Takes one part's counts (the reply after its 8-byte header, at {@code index} of {@code reply}); returns true
     * when that was the last part outstanding.
     */
    boolean complete(int part, ByteBuf reply, int index) {
        int[] at = positions[part];
        for (int j = 0; j < at.length; j++) {
            reply.getBytes(index + 12 * j, counts, 12 * at[j], 12);
        }
        return --outstanding == 0 && finish();
    }

    /** Marks the scrape answered; false when it already was. */
    boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        return true;
    }

    void writeReply(ByteBuf out) {
        out.writeInt(2).writeInt(tx).writeBytes(counts);
    }

    int replyLength() {
        return 8 + counts.length;
    }
}
