package io.shoal.routing;

/**
 * The slot of an infohash: its first two bytes read as a big-endian number. SHA-1 infohashes are
 * uniform, so equal slot counts carry equal load, and a slot is cheap to compute on every request.
 */
public final class Slots {

    /** Number of slots; slots are 0..COUNT-1. */
    public static final int COUNT = 65_536;

    private Slots() {
    }

    public static int of(byte[] infoHash) {
        if (infoHash.length < 2) {
            throw new IllegalArgumentException("an infohash has at least two bytes");
        }
        return ((infoHash[0] & 0xFF) << 8) | (infoHash[1] & 0xFF);
    }

    /** The slot as four lowercase hex digits, the form used inside storage keys. */
    public static String hex(int slot) {
        if (slot < 0 || slot >= COUNT) {
            throw new IllegalArgumentException("slot out of range: " + slot);
        }
        String h = Integer.toHexString(slot);
        return "0000".substring(h.length()) + h;
    }
}
