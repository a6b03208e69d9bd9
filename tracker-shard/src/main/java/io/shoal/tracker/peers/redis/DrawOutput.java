package io.shoal.tracker.peers.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

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
     * @param most  how many entries the reply can hold at most
     */
    DrawOutput(int width, byte[] self, int most) {
        super(ByteArrayCodec.INSTANCE, new Draw());
        this.width = width;
        this.self = self;
        output.entries = new byte[Math.max(0, most) * width];
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
