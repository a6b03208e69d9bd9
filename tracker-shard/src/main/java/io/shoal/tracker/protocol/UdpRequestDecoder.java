package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one BEP 15 datagram, reading the bytes between readerIndex and writerIndex in place (indices untouched).
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

    private UdpRequestDecoder() {
    }

    /** Returns the request, or throws {@link UdpDecodeException}. */
    public static UdpRequest decode(ByteBuf datagram) {
        int at = datagram.readerIndex();
        int length = datagram.readableBytes();
        if (length < HEADER || length > MAX_DATAGRAM) {
            throw new UdpDecodeException(length < HEADER ? "datagram too short" : "datagram too large");
        }
        long connectionId = datagram.getLong(at);
        int action = datagram.getInt(at + 8);
        int transactionId = datagram.getInt(at + 12);
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
                yield new UdpRequest.Announce(connectionId, transactionId, announce(datagram, at, connectionId, transactionId));
            }
            case ACTION_SCRAPE -> new UdpRequest.Scrape(connectionId, transactionId,
                    scrapeHashes(datagram, at, length, connectionId, transactionId));
            default -> throw new UdpDecodeException("unknown action", connectionId, action, transactionId);
        };
    }

    private static List<byte[]> scrapeHashes(ByteBuf d, int at, int length, long connectionId, int transactionId) {
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
            hashes.add(bytes20(d, at + HEADER + 20 * i));
        }
        return hashes;
    }

    private static AnnounceRequest announce(ByteBuf d, int at, long connectionId, int transactionId) {
        AnnounceEvent event = AnnounceEvent.fromUdpCode(d.getInt(at + 80));
        if (event == null) {
            throw new UdpDecodeException("bad event", connectionId, ACTION_ANNOUNCE, transactionId);
        }
        int numwant = d.getInt(at + 92);
        return new AnnounceRequest(
                bytes20(d, at + 16),
                bytes20(d, at + 36),
                d.getUnsignedShort(at + 96),
                d.getLong(at + 72),     // uploaded
                d.getLong(at + 56),     // downloaded
                d.getLong(at + 64),     // left
                event,
                numwant < 0 ? -1 : numwant,
                true,
                false,
                d.getUnsignedInt(at + 88));  // key; the IP field at +84 is ignored: the source address is what counts
    }

    private static byte[] bytes20(ByteBuf d, int index) {
        byte[] b = new byte[20];
        d.getBytes(index, b);
        return b;
    }
}
