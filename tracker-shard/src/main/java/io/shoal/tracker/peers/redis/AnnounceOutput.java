package io.shoal.tracker.peers.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

import java.nio.ByteBuffer;

/** Decodes the announce script's flat reply straight into one {@link AnnounceReply} per announce of the batch. */
final class AnnounceOutput extends CommandOutput<byte[], byte[], AnnounceReply[]> {

    private int element;

    AnnounceOutput(int announces) {
        super(ByteArrayCodec.INSTANCE, new AnnounceReply[announces]);
        for (int i = 0; i < announces; i++) {
            output[i] = new AnnounceReply();
        }
    }

    @Override
    public void set(long integer) {
        AnnounceReply r = current();
        if (r != null) {
            r.integer(integer);
        }
    }

    @Override
    public void set(ByteBuffer bytes) {
        AnnounceReply r = current();
        if (r != null) {
            r.bytes(bytes);
        }
    }

    private AnnounceReply current() {
        int i = element++ / AnnounceReply.ELEMENTS;
        if (i >= output.length) {
            setError("announce reply longer than " + output.length + " announces");
            return null;
        }
        return output[i];
    }
}
