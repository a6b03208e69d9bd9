package io.shoal.tracker.peers.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

import java.nio.ByteBuffer;

/** Decodes the announce script's array reply straight into an {@link AnnounceReply}. */
final class AnnounceOutput extends CommandOutput<byte[], byte[], AnnounceReply> {

    AnnounceOutput() {
        super(ByteArrayCodec.INSTANCE, new AnnounceReply());
    }

    @Override
    public void set(long integer) {
        output.integer(integer);
    }

    @Override
    public void set(ByteBuffer bytes) {
        output.bytes(bytes);
    }
}
