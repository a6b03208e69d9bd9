package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.peers.AnnounceResult;
import io.shoal.tracker.peers.SwarmCounts;
import java.util.List;

/** BEP 15 answers, big-endian, written straight into the caller's buffer. */
public final class UdpReplies {
    /** Error texts are cut to this many bytes: clients show them, and a short answer cannot amplify. */
    public static final int MAX_ERROR_MESSAGE = 64;

    private UdpReplies() {
    }

    public static void connect(ByteBuf out, int transactionId, long connectionId) {
        out.writeInt(UdpRequestDecoder.ACTION_CONNECT);
        out.writeInt(transactionId);
        out.writeLong(connectionId);
    }

    /** 20 + 6n bytes for IPv4 ({@code r.peers4()}) or 20 + 18n bytes for IPv6 ({@code r.peers6()}). */
    public static void announce(ByteBuf out, int transactionId, int interval, AnnounceResult r, boolean ipv6) {
        byte[] peers = ipv6 ? r.peers6() : r.peers4();
        out.ensureWritable(20 + peers.length);
        out.writeInt(UdpRequestDecoder.ACTION_ANNOUNCE);
        out.writeInt(transactionId);
        out.writeInt(interval);
        out.writeInt(r.leechers());
        out.writeInt(r.seeders());
        out.writeBytes(peers);
    }

    /** 8 + 12n bytes: seeders, completed, leechers per hash, in request order. */
    public static void scrape(ByteBuf out, int transactionId, List<SwarmCounts> counts) {
        out.ensureWritable(8 + 12 * counts.size());
        out.writeInt(UdpRequestDecoder.ACTION_SCRAPE);
        out.writeInt(transactionId);
        for (int i = 0, n = counts.size(); i < n; i++) {
            SwarmCounts c = counts.get(i);
            out.writeInt(c.seeders());
            out.writeInt((int) Math.min(c.downloaded(), Integer.MAX_VALUE));
            out.writeInt(c.leechers());
        }
    }

    /** Action 3 with the message as printable ASCII (other characters become '?'), at most 64 bytes. */
    public static void error(ByteBuf out, int transactionId, String message) {
        int n = Math.min(message.length(), MAX_ERROR_MESSAGE);
        out.ensureWritable(8 + n);
        out.writeInt(UdpRequestDecoder.ACTION_ERROR);
        out.writeInt(transactionId);
        for (int i = 0; i < n; i++) {
            char c = message.charAt(i);
            out.writeByte(c >= 0x20 && c < 0x7F ? c : '?');
        }
    }
}
