package io.shoal.tracker.peers.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Decodes a flat array of integers of a known length (scrape and walk replies) into a long[]. */
final class CountsOutput extends CommandOutput<byte[], byte[], long[]> {

    private int position;

    CountsOutput(int expected) {
        super(ByteArrayCodec.INSTANCE, new long[expected]);
    }

    @Override
    public void set(long integer) {
        if (position >= output.length) {
            setError("reply longer than the " + output.length + " counts asked for");
            return;
        }
        output[position++] = integer;
    }

    @Override
    public void set(ByteBuffer bytes) {
        setError("unexpected bulk string in a counts reply");
    }

    /** The counts; shorter than asked for when the reply was (callers check the length). */
    @Override
    public long[] get() {
        return position == output.length ? output : Arrays.copyOf(output, position);
    }
}
