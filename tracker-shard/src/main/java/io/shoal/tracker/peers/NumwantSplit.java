package io.shoal.tracker.peers;

/**
 * How one announce's numwant is shared between IPv4 and IPv6 peers: everything when it fits, else in proportion
 * to what each family can offer. One rule for every store, so both answer an announcer alike.
 */
public final class NumwantSplit {

    private NumwantSplit() {
    }

    /** IPv4 peers to return out of {@code numwant} when {@code available4} IPv4 and {@code available6} IPv6 can be offered. */
    public static int wanted4(int numwant, int available4, int available6) {
        if (available4 + available6 <= numwant) {
            return available4;
        }
        int w4 = (int) ((long) numwant * available4 / (available4 + available6));
        int w6 = Math.min(numwant - w4, available6);
        return numwant - w6;
    }

    /** IPv6 peers to return: the rest of {@code numwant} after {@link #wanted4}. */
    public static int wanted6(int numwant, int available4, int available6) {
        if (available4 + available6 <= numwant) {
            return available6;
        }
        return numwant - wanted4(numwant, available4, available6);
    }
}
