package io.shoal.tracker.peers.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

import java.nio.ByteBuffer;

/** Decodes the announce script's flat reply straight into one {@link AnnounceReply} per announce of the batch. */
final class AnnounceOutput extends CommandOutput<byte[], byte[], AnnounceReply[]> {

    private int announce;
    private int element;

    /** @param replies one per announce of the batch, each knowing how many elements it takes */
    AnnounceOutput(AnnounceReply[] replies) {
        super(ByteArrayCodec.INSTANCE, replies);
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
        if (announce >= output.length) {
            setError("announce reply longer than " + output.length + " announces");
            return null;
        }
        AnnounceReply r = output[announce];
        if (++element == r.elements()) {
            announce++;
            element = 0;
        }
        return r;
    }
}
