package io.shoal.tracker.peers.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.shoal.tracker.peers.AnnounceResult;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes a ZRANDMEMBER reply straight into packed compact entries, leaving out the announcer itself and anything
 * that is not an entry of the expected width.
 */
final class DrawOutput extends CommandOutput<byte[], byte[], DrawOutput.Draw> {

    /** Drawn entries, packed; {@code count} of them. */
    static final class Draw {
        byte[] entries;
        int count;
    }

    private final int width;
    private final byte[] self;

    /**
     * @param width entry width (6 or 18)
     * @param self  the announcer's own entry, or null when it is not in the set
     */
    DrawOutput(int width, byte[] self) {
        super(ByteArrayCodec.INSTANCE, new Draw());
        this.width = width;
        this.self = self;
        output.entries = AnnounceResult.NONE;
    }

    /** Sized by the reply itself: a large numwant on a small swarm allocates only what comes back. */
    @Override
    public void multi(int count) {
        if (output.entries.length == 0 && count > 0) {
            output.entries = new byte[count * width];
        }
    }

    @Override
    public void set(ByteBuffer bytes) {
        if (bytes == null || bytes.remaining() != width || output.count * width >= output.entries.length) {
            return;
        }
        int at = output.count * width;
        bytes.get(output.entries, at, width);
        if (self != null && Arrays.equals(output.entries, at, at + width, self, 0, width)) {
            return;
        }
        output.count++;
    }
}
