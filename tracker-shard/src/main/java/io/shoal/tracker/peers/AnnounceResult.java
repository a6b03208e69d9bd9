package io.shoal.tracker.peers;

/**
 * A store's answer to an announce: the swarm's counts (after this announce was applied) and the
 * peers picked for the announcer, already in BEP 23 / BEP 7 compact form so that codecs copy them
 * straight into replies.
 *
 * @param seeders    seeders in the swarm
 * @param leechers   leechers in the swarm
 * @param downloaded completed downloads counted for the swarm
 * @param peers4     compact IPv4 peers, 6 bytes each (4 address + 2 port, network order)
 * @param peers6     compact IPv6 peers, 18 bytes each (16 address + 2 port)
 * @param peerIds4   20-byte peer ids, one per entry of {@code peers4} in the same order, or null when not asked for
 * @param peerIds6   same for {@code peers6}
 */
public record AnnounceResult(
        int seeders,
        int leechers,
        long downloaded,
        byte[] peers4,
        byte[] peers6,
        byte[] peerIds4,
        byte[] peerIds6) {

    public static final byte[] NONE = new byte[0];

    public int peerCount4() {
        return peers4.length / 6;
    }

    public int peerCount6() {
        return peers6.length / 18;
    }
}
