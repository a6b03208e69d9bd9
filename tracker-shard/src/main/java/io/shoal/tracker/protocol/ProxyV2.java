package io.shoal.tracker.protocol;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * PROXY protocol v2 headers for datagrams (haproxy's proxy-protocol.txt, section 2.2): the ingress prefixes each
 * forwarded BEP 15 datagram with one, carrying the client's address and a correlation id in an application TLV;
 * the shard echoes the header bytes in front of its reply. Only the PROXY command over DGRAM INET/INET6 is
 * accepted: LOCAL carries no client, and STREAM or UNIX have no business on a UDP port.
 *
 * <p>Reading never moves the buffer's indices and never touches a byte past its writer index.
 */
public final class ProxyV2 {
    /** The 12-byte signature every v2 header starts with. */
    private static final byte[] SIGNATURE = {
        0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** Application TLV carrying the ingress's 8-byte, big-endian correlation id. */
    public static final int TLV_CORRELATION = 0xE0;

    static final int FIXED = 16;
    private static final int VERSION_PROXY = 0x21;
    private static final int DGRAM_INET = 0x12;
    private static final int DGRAM_INET6 = 0x22;
    private static final int INET_BLOCK = 12;
    private static final int INET6_BLOCK = 36;
    private static final int CORRELATION_TLV_LENGTH = 3 + 8;
    /** Bounds the TLV walk; a header of ours has one TLV, a generous peer a handful. */
    static final int MAX_TLVS = 16;

    /** Header bytes {@link #write} produces for an IPv4 pair. */
    public static final int INET_HEADER_LENGTH = FIXED + INET_BLOCK + CORRELATION_TLV_LENGTH;
    /** Header bytes {@link #write} produces when either side is IPv6. */
    public static final int INET6_HEADER_LENGTH = FIXED + INET6_BLOCK + CORRELATION_TLV_LENGTH;

    private ProxyV2() {
    }

    /**
     * Appends a header to {@code out}: PROXY, DGRAM, source = the client, destination = the address the client sent
     * to, and TLV 0xE0 = {@code correlationId}. When one side is IPv4 and the other IPv6 the IPv4 one is written
     * IPv4-mapped, since one header has one family. Returns the bytes written.
     */
    public static int write(ByteBuf out, InetSocketAddress source, InetSocketAddress destination, long correlationId) {
        InetAddress src = address(source);
        InetAddress dst = address(destination);
        boolean inet = src instanceof Inet4Address && dst instanceof Inet4Address;
        int block = inet ? INET_BLOCK : INET6_BLOCK;
        out.writeBytes(SIGNATURE);
        out.writeByte(VERSION_PROXY);
        out.writeByte(inet ? DGRAM_INET : DGRAM_INET6);
        out.writeShort(block + CORRELATION_TLV_LENGTH);
        writeAddress(out, src, inet);
        writeAddress(out, dst, inet);
        out.writeShort(source.getPort());
        out.writeShort(destination.getPort());
        out.writeByte(TLV_CORRELATION);
        out.writeShort(8);
        out.writeLong(correlationId);
        return FIXED + block + CORRELATION_TLV_LENGTH;
    }

    /** Reads the header at the start of {@code datagram}'s readable bytes, or throws {@link ProxyHeaderException}. */
    public static ProxyHeader read(ByteBuf datagram) {
        int start = datagram.readerIndex();
        int available = datagram.readableBytes();
        if (available < FIXED) {
            throw new ProxyHeaderException("shorter than a PROXY v2 header");
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (datagram.getByte(start + i) != SIGNATURE[i]) {
                throw new ProxyHeaderException("no PROXY v2 signature");
            }
        }
        int versionCommand = datagram.getUnsignedByte(start + 12);
        if (versionCommand >> 4 != 2) {
            throw new ProxyHeaderException("not PROXY protocol version 2");
        }
        if (versionCommand != VERSION_PROXY) {
            throw new ProxyHeaderException("not a PROXY command");
        }
        int family = datagram.getUnsignedByte(start + 13);
        int block = switch (family) {
            case DGRAM_INET -> INET_BLOCK;
            case DGRAM_INET6 -> INET6_BLOCK;
            default -> throw new ProxyHeaderException("not DGRAM over INET or INET6");
        };
        int rest = datagram.getUnsignedShort(start + 14);
        if (rest > available - FIXED) {
            throw new ProxyHeaderException("header longer than the datagram");
        }
        if (rest < block) {
            throw new ProxyHeaderException("address block too short");
        }
        int addressLength = family == DGRAM_INET ? 4 : 16;
        int at = start + FIXED;
        InetAddress src = readAddress(datagram, at, addressLength);
        InetAddress dst = readAddress(datagram, at + addressLength, addressLength);
        int srcPort = datagram.getUnsignedShort(at + 2 * addressLength);
        int dstPort = datagram.getUnsignedShort(at + 2 * addressLength + 2);

        int tlv = at + block;
        int end = start + FIXED + rest;
        long correlationId = 0;
        boolean hasCorrelation = false;
        int count = 0;
        while (tlv < end) {
            if (++count > MAX_TLVS) {
                throw new ProxyHeaderException("too many TLVs");
            }
            if (end - tlv < 3) {
                throw new ProxyHeaderException("truncated TLV");
            }
            int type = datagram.getUnsignedByte(tlv);
            int length = datagram.getUnsignedShort(tlv + 1);
            if (length > end - tlv - 3) {
                throw new ProxyHeaderException("TLV longer than the header");
            }
            if (type == TLV_CORRELATION) {
                if (hasCorrelation) {
                    throw new ProxyHeaderException("duplicate correlation TLV");
                }
                if (length != 8) {
                    throw new ProxyHeaderException("correlation TLV is not 8 bytes");
                }
                correlationId = datagram.getLong(tlv + 3);
                hasCorrelation = true;
            }
            // Other types (CRC32C, NOOP, a proxy's own) are skipped, as the specification asks of receivers.
            tlv += 3 + length;
        }
        return new ProxyHeader(new InetSocketAddress(src, srcPort), new InetSocketAddress(dst, dstPort),
                correlationId, hasCorrelation, FIXED + rest);
    }

    private static InetAddress address(InetSocketAddress socket) {
        InetAddress a = socket.getAddress();
        if (a == null) {
            throw new IllegalArgumentException("unresolved address " + socket);
        }
        return a;
    }

    private static void writeAddress(ByteBuf out, InetAddress a, boolean inet) {
        byte[] raw = a.getAddress();
        if (!inet && raw.length == 4) {
            out.writeZero(10);
            out.writeShort(0xFFFF);
        }
        out.writeBytes(raw);
    }

    private static InetAddress readAddress(ByteBuf datagram, int index, int length) {
        byte[] raw = new byte[length];
        datagram.getBytes(index, raw);
        try {
            // getByAddress hands back an Inet4Address for an IPv4-mapped IPv6 address, so a client that reached an
            // IPv6 listener from IPv4 is still the same peer identity as on the public port.
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
