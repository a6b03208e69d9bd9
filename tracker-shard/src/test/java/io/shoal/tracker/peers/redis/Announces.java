package io.shoal.tracker.peers.redis;

import io.shoal.tracker.peers.PeerAnnounce;
import io.shoal.tracker.peers.PeerFamilies;
import io.shoal.tracker.protocol.AnnounceEvent;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** Builders for announces and readers of compact peer lists, for the Redis store's tests. */
final class Announces {
    private Announces() {
    }

    static byte[] infoHash(int n) {
        byte[] ih = new byte[20];
        ByteBuffer.wrap(ih).putInt(n * 0x9E3779B1).putInt(n);
        ih[19] = (byte) 0xAB;
        return ih;
    }

    static byte[] peerId(int n) {
        byte[] id = new byte[20];
        Arrays.fill(id, (byte) 'x');
        ByteBuffer.wrap(id).putInt(16, n);
        return id;
    }

    static byte[] ip4(int n) {
        return new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    static byte[] ip6(int n) {
        byte[] ip = new byte[16];
        ip[0] = 0x20;
        ip[1] = 0x01;
        ip[2] = 0x0d;
        ip[3] = (byte) 0xb8;
        ByteBuffer.wrap(ip).putInt(12, n);
        return ip;
    }

    static PeerAnnounce v4(byte[] ih, int peer, boolean seeder, AnnounceEvent event, int numwant) {
        return new PeerAnnounce(ih, ip4(peer), 6881, peerId(peer), seeder, event, numwant, PeerFamilies.V4, false);
    }

    static PeerAnnounce v6(byte[] ih, int peer, boolean seeder, AnnounceEvent event, int numwant) {
        return new PeerAnnounce(ih, ip6(peer), 6881, peerId(peer), seeder, event, numwant, PeerFamilies.V6, false);
    }

    static PeerAnnounce leecher(byte[] ih, int peer) {
        return v4(ih, peer, false, AnnounceEvent.STARTED, 50);
    }

    static PeerAnnounce seeder(byte[] ih, int peer) {
        return v4(ih, peer, true, AnnounceEvent.NONE, 50);
    }

    static byte[] compact4(int peer, int port) {
        return Announcer.compact(ip4(peer), port);
    }

    /** The entries of a compact list (each {@code width} bytes), as a set for order-free comparison. */
    static Set<ByteBuffer> entries(byte[] compact, int width) {
        if (compact.length % width != 0) {
            throw new AssertionError("compact list of " + compact.length + " bytes is not a multiple of " + width);
        }
        Set<ByteBuffer> out = new HashSet<>();
        for (int i = 0; i < compact.length; i += width) {
            out.add(ByteBuffer.wrap(Arrays.copyOfRange(compact, i, i + width)));
        }
        return out;
    }
}
