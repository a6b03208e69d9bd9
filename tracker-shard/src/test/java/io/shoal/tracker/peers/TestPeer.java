package io.shoal.tracker.peers;

import io.shoal.tracker.protocol.AnnounceEvent;
import java.util.Arrays;

/**
 * A peer of the contract tests: its address, port and id, and a fluent way to build its announces.
 * Addresses come from private (10/8) and documentation (2001:db8::/32) ranges; nothing is sent anywhere.
 */
public record TestPeer(byte[] ip, int port, byte[] peerId) {

    public static TestPeer v4(int n, int port) {
        byte[] ip = {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        return new TestPeer(ip, port, id(n * 65_536 + port));
    }

    public static TestPeer v6(int n, int port) {
        byte[] ip = new byte[16];
        ip[0] = 0x20;
        ip[1] = 0x01;
        ip[2] = 0x0d;
        ip[3] = (byte) 0xb8;
        ip[14] = (byte) (n >>> 8);
        ip[15] = (byte) n;
        return new TestPeer(ip, port, id(-(n * 65_536 + port) - 1));
    }

    /** A 20-byte peer id that encodes {@code n}, distinct for distinct {@code n}. */
    public static byte[] id(int n) {
        byte[] id = "-SH0100-000000000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        id[16] = (byte) (n >>> 24);
        id[17] = (byte) (n >>> 16);
        id[18] = (byte) (n >>> 8);
        id[19] = (byte) n;
        return id;
    }

    /** A 20-byte info hash that encodes {@code n}, spread over the whole hash as SHA-1 output would be. */
    public static byte[] infoHash(int n) {
        byte[] hash = new byte[20];
        long x = n * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        for (int i = 0; i < 20; i++) {
            x ^= x >>> 29;
            x *= 0xBF58476D1CE4E5B9L;
            hash[i] = (byte) (x >>> 56);
        }
        return hash;
    }

    public TestPeer withPeerId(byte[] newId) {
        return new TestPeer(ip, port, newId);
    }

    public TestPeer withPort(int newPort) {
        return new TestPeer(ip, newPort, peerId);
    }

    public boolean isV6() {
        return ip.length == 16;
    }

    /** The peer's compact form (address then port, network order), as it appears in replies. */
    public Endpoint endpoint() {
        return new Endpoint(ip.clone(), port);
    }

    public Builder to(byte[] infoHash) {
        return new Builder(infoHash);
    }

    /** Builds one announce of this peer; defaults: leecher, event NONE, numwant 50, its own family, compact. */
    public final class Builder {
        private final byte[] infoHash;
        private boolean seeder;
        private AnnounceEvent event = AnnounceEvent.NONE;
        private int numwant = 50;
        private PeerFamilies families = isV6() ? PeerFamilies.V6 : PeerFamilies.V4;
        private boolean wantPeerIds;

        private Builder(byte[] infoHash) {
            this.infoHash = infoHash;
        }

        public Builder seeder() {
            return seeder(true);
        }

        public Builder seeder(boolean value) {
            seeder = value;
            return this;
        }

        public Builder event(AnnounceEvent value) {
            event = value;
            return this;
        }

        public Builder numwant(int value) {
            numwant = value;
            return this;
        }

        public Builder families(PeerFamilies value) {
            families = value;
            return this;
        }

        public Builder withPeerIds() {
            wantPeerIds = true;
            return this;
        }

        public PeerAnnounce build() {
            return new PeerAnnounce(infoHash, ip, port, peerId, seeder, event, numwant, families, wantPeerIds);
        }
    }

    /** An (address, port) pair with value equality, to compare peers in replies. */
    public record Endpoint(byte[] ip, int port) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Endpoint e && e.port == port && Arrays.equals(e.ip, ip);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ip) * 31 + port;
        }

        @Override
        public String toString() {
            try {
                return java.net.InetAddress.getByAddress(ip).getHostAddress() + ":" + port;
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
