package io.shoal.tracker.peers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Decodes the compact peer lists of an {@link AnnounceResult} for assertions. */
public final class CompactPeers {
    private CompactPeers() {
    }

    public static List<TestPeer.Endpoint> v4(AnnounceResult result) {
        return endpoints(result.peers4(), 4);
    }

    public static List<TestPeer.Endpoint> v6(AnnounceResult result) {
        return endpoints(result.peers6(), 16);
    }

    public static List<TestPeer.Endpoint> all(AnnounceResult result) {
        List<TestPeer.Endpoint> all = new ArrayList<>(v4(result));
        all.addAll(v6(result));
        return all;
    }

    /** Splits a byte string of 20-byte ids. */
    public static List<byte[]> ids(byte[] ids) {
        if (ids.length % 20 != 0) {
            throw new AssertionError("peer id list of " + ids.length + " bytes is not a multiple of 20");
        }
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < ids.length; off += 20) {
            out.add(Arrays.copyOfRange(ids, off, off + 20));
        }
        return out;
    }

    /** Splits a compact list of (address of {@code addressLength} bytes, big-endian port) entries. */
    public static List<TestPeer.Endpoint> endpoints(byte[] compact, int addressLength) {
        int stride = addressLength + 2;
        if (compact.length % stride != 0) {
            throw new AssertionError("compact list of " + compact.length + " bytes is not a multiple of " + stride);
        }
        List<TestPeer.Endpoint> out = new ArrayList<>();
        for (int off = 0; off < compact.length; off += stride) {
            byte[] ip = Arrays.copyOfRange(compact, off, off + addressLength);
            int port = (compact[off + addressLength] & 0xff) << 8 | (compact[off + addressLength + 1] & 0xff);
            out.add(new TestPeer.Endpoint(ip, port));
        }
        return out;
    }
}
