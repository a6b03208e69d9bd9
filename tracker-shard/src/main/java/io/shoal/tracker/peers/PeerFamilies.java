package io.shoal.tracker.peers;

/**
 * Which address families an announcer can use. UDP replies carry one family (the socket's);
 * HTTP replies carry both ({@code peers} and {@code peers6}, BEP 7).
 */
public enum PeerFamilies {
    V4,
    V6,
    BOTH;

    public boolean wantsV4() {
        return this != V6;
    }

    public boolean wantsV6() {
        return this != V4;
    }
}
