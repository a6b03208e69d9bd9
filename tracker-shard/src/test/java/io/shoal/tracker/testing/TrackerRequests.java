package io.shoal.tracker.testing;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Requests as a client writes them (HTTP query strings, BEP 15 datagrams), shared by the module's and e2e tests. */
public final class TrackerRequests {
    public static final long PROTOCOL_ID = 0x41727101980L;

    private TrackerRequests() {
    }

    /** Every byte percent-encoded, as clients send binary values. */
    public static String pct(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            sb.append('%').append(HexFormat.of().toHexDigits(b));
        }
        return sb.toString();
    }

    /** An HTTP announce query; {@code extra} ("" for none) is appended as further parameters. */
    public static String announceQuery(byte[] hash, byte[] peerId, int port, long left, String extra) {
        return "info_hash=" + pct(hash) + "&peer_id=" + pct(peerId) + "&port=" + port
                + "&uploaded=0&downloaded=0&left=" + left + (extra.isEmpty() ? "" : "&" + extra);
    }

    /** A BEP 15 connect request. */
    public static byte[] udpConnect(int tx) {
        return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(0).putInt(tx).array();
    }

    /** A BEP 15 announce request (IPv4 layout, ip field 0), nothing downloaded or uploaded. */
    public static byte[] udpAnnounce(long connectionId, int tx, byte[] infoHash, byte[] peerId, long left,
                                     int eventCode, int key, int numwant, int port) {
        return ByteBuffer.allocate(98)
                .putLong(connectionId).putInt(1).putInt(tx)
                .put(infoHash).put(peerId)
                .putLong(0)          // downloaded
                .putLong(left)
                .putLong(0)          // uploaded
                .putInt(eventCode)
                .putInt(0)           // ip: ignored
                .putInt(key)
                .putInt(numwant)
                .putShort((short) port)
                .array();
    }
}
