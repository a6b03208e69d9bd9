package io.shoal.tracker.protocol;

/**
 * Protocol-neutral announce as decoded from HTTP or UDP (arrays are shared, not copied: treat them as read-only).
 *
 * @param infoHash   exactly 20 bytes
 * @param peerId     exactly 20 bytes
 * @param port       0..65535 as sent (0 allowed; policy decides)
 * @param uploaded   bytes uploaded as reported (HTTP: 0 when absent)
 * @param downloaded bytes downloaded as reported (HTTP: 0 when absent)
 * @param left       bytes left; negative (HTTP: -1 when absent) is treated by policy as a leecher
 * @param event      the reported event
 * @param numwant    -1 when absent or negative (the server's default applies); otherwise as sent, clamped to int
 * @param compact    HTTP {@code compact=0} asks for the dictionary model; UDP always true
 * @param noPeerId   HTTP {@code no_peer_id=1}
 * @param key        -1 when absent; UDP's unsigned 32-bit key, or HTTP's hex key as a number (else a hash of it)
 */
public record AnnounceRequest(
        byte[] infoHash,
        byte[] peerId,
        int port,
        long uploaded,
        long downloaded,
        long left,
        AnnounceEvent event,
        int numwant,
        boolean compact,
        boolean noPeerId,
        long key) {
}
