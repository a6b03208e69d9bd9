package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one BEP 15 datagram: the bytes between readerIndex and writerIndex (indices untouched).
 * Connection ids are returned, not checked: validating them needs the client address and a clock.
 */
public final class UdpRequestDecoder {
    public static final int MAX_DATAGRAM = 1500;
    public static final int MAX_SCRAPE_HASHES = 74;

    /** The protocol id every connect request starts with. */
    public static final long PROTOCOL_ID = 0x41727101980L;

    public static final int ACTION_CONNECT = 0;
    public static final int ACTION_ANNOUNCE = 1;
    public static final int ACTION_SCRAPE = 2;
    public static final int ACTION_ERROR = 3;

    static final int HEADER = 16;
    /** Announce without BEP 41 options; extension bytes after it are accepted and ignored. */
    static final int ANNOUNCE_LENGTH = 98;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Each decoding thread's copy of the datagram being decoded. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_DATAGRAM];
        }
    };

    private UdpRequestDecoder() {
    }

    /** Returns the request, or throws {@link UdpDecodeException}. */
    public static UdpRequest decode(ByteBuf datagram) {
        int length = datagram.readableBytes();
        if (length < HEADER || length > MAX_DATAGRAM) {
            throw new UdpDecodeException(length < HEADER ? "datagram too short" : "datagram too large");
        }
        // One bulk copy, then plain array reads: every ByteBuf accessor checks bounds and the reference count, and a
        // datagram from a recvmmsg batch is a slice, so each field read would pay those checks again.
        byte[] d = SCRATCH.get();
        datagram.getBytes(datagram.readerIndex(), d, 0, length);
        return decode(d, length);
    }

    private static UdpRequest decode(byte[] d, int length) {
        long connectionId = readLong(d, 0);
        int action = readInt(d, 8);
        int transactionId = readInt(d, 12);
        return switch (action) {
            case ACTION_CONNECT -> {
                if (connectionId != PROTOCOL_ID) {
                    // Not a BEP 15 client: answering it could only help someone spoof a victim's address.
                    throw new UdpDecodeException("not a connect request");
                }
                yield new UdpRequest.Connect(transactionId);
            }
            case ACTION_ANNOUNCE -> {
                if (length < ANNOUNCE_LENGTH) {
                    throw new UdpDecodeException("bad announce length", connectionId, action, transactionId);
                }
                yield new UdpRequest.Announce(connectionId, transactionId, announce(d, connectionId, transactionId));
            }
            case ACTION_SCRAPE -> new UdpRequest.Scrape(connectionId, transactionId,
                    scrapeHashes(d, length, connectionId, transactionId));
            default -> throw new UdpDecodeException("unknown action", connectionId, action, transactionId);
        };
    }

    private static List<byte[]> scrapeHashes(byte[] d, int length, long connectionId, int transactionId) {
        int hashBytes = length - HEADER;
        if (hashBytes == 0 || hashBytes % 20 != 0) {
            throw new UdpDecodeException("bad scrape length", connectionId, ACTION_SCRAPE, transactionId);
        }
        int n = hashBytes / 20;
        // Unreachable while MAX_DATAGRAM holds at most 74 hashes; kept so that raising one limit cannot lift the other.
        if (n > MAX_SCRAPE_HASHES) {
            throw new UdpDecodeException("too many hashes", connectionId, ACTION_SCRAPE, transactionId);
        }
        List<byte[]> hashes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hashes.add(bytes20(d, HEADER + 20 * i));
        }
        return hashes;
    }

    private static AnnounceRequest announce(byte[] d, long connectionId, int transactionId) {
        AnnounceEvent event = AnnounceEvent.fromUdpCode(readInt(d, 80));
        if (event == null) {
            throw new UdpDecodeException("bad event", connectionId, ACTION_ANNOUNCE, transactionId);
        }
        int numwant = readInt(d, 92);
        return new AnnounceRequest(
                bytes20(d, 16),
                bytes20(d, 36),
                (short) SHORT.get(d, 96) & 0xFFFF,
                readLong(d, 72),     // uploaded
                readLong(d, 56),     // downloaded
                readLong(d, 64),     // left
                event,
                numwant < 0 ? -1 : numwant,
                true,
                false,
                readInt(d, 88) & 0xFFFF_FFFFL);  // key; the IP field at 84 is ignored: the source address is what counts
    }

    private static byte[] bytes20(byte[] d, int index) {
        return Arrays.copyOfRange(d, index, index + 20);
    }

    private static int readInt(byte[] d, int index) {
        return (int) INT.get(d, index);
    }

    private static long readLong(byte[] d, int index) {
        return (long) LONG.get(d, index);
    }
}
