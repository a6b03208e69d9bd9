package io.shoal.tracker.loadgen;

import io.shoal.tracker.protocol.Bencode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Checks a bencoded HTTP tracker reply (decoded with the project's strict decoder) against the request it answers:
 * a {@code failure reason} is a tracker error; an announce needs a positive interval, counts that fit the swarm and
 * compact peers that pass the same checks as UDP peers; a scrape's {@code files} may hold only the hashes asked for.
 */
final class HttpReplyValidator {
    private final ReplyValidator peers;
    private final byte[] infoHashes;
    private final boolean allowUnsortedKeys;

    /** @param allowUnsortedKeys accept dictionaries whose keys are out of BEP 3's order (opentracker's scrape) */
    HttpReplyValidator(ReplyValidator peers, byte[] infoHashes, boolean allowUnsortedKeys) {
        this.peers = peers;
        this.infoHashes = infoHashes;
        this.allowUnsortedKeys = allowUnsortedKeys;
    }

    /** The failure reason of an error reply, or null when the body is no such reply. */
    static String failureReason(byte[] body, int off, int len) {
        try {
            Object decoded = LenientBencode.decode(body, off, len);
            if (decoded instanceof Map<?, ?> map && map.get("failure reason") instanceof byte[] reason) {
                return new String(reason, StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** What every reply must pass before its own checks (a bencoded dictionary, no failure, HTTP 200); null if it does. */
    private static Verdict envelope(int status, Map<?, ?> dict) {
        if (dict == null) {
            return Verdict.NOT_BENCODE;
        }
        if (dict.containsKey("failure reason")) {
            return Verdict.TRACKER_ERROR;
        }
        return status != 200 ? Verdict.BAD_STATUS : null;
    }

    Verdict announce(int status, byte[] body, int off, int len, int client, int torrent, int numwant) {
        Map<?, ?> dict = dictionary(body, off, len);
        Verdict envelope = envelope(status, dict);
        if (envelope != null) {
            return envelope;
        }
        if (!(dict.get("interval") instanceof Long interval) || interval <= 0) {
            return Verdict.BAD_INTERVAL;
        }
        long seeders = dict.get("complete") instanceof Long c ? c : 0;
        long leechers = dict.get("incomplete") instanceof Long i ? i : 0;
        if (seeders < 0 || leechers < 0) {
            return Verdict.NEGATIVE_COUNT;
        }
        if (!(dict.get("peers") instanceof byte[] compact)) {
            return Verdict.MISSING_FIELD;
        }
        int peerLength = peers.peerLength();
        if (compact.length % peerLength != 0) {
            return Verdict.BAD_LENGTH;
        }
        int count = compact.length / peerLength;
        if (count > numwant) {
            return Verdict.TOO_MANY_PEERS;
        }
        if (count > seeders + leechers || !peers.plausibleSwarm(torrent, seeders, leechers)) {
            return Verdict.IMPLAUSIBLE_COUNT;
        }
        return peers.peers(ByteBuffer.wrap(compact), 0, count, client, torrent);
    }

    Verdict scrape(int status, byte[] body, int off, int len, int[] torrents, int count) {
        Map<?, ?> dict = dictionary(body, off, len);
        Verdict envelope = envelope(status, dict);
        if (envelope != null) {
            return envelope;
        }
        if (!(dict.get("files") instanceof Map<?, ?> files)) {
            return Verdict.MISSING_FIELD;
        }
        int matched = 0;
        for (int i = 0; i < count; i++) {
            String key = new String(infoHashes, torrents[i] * Bep15Requests.HASH_LENGTH, Bep15Requests.HASH_LENGTH,
                    StandardCharsets.ISO_8859_1);
            Object entry = files.get(key);
            if (entry == null) {
                continue; // a tracker may leave out a torrent it no longer knows
            }
            matched++;
            if (!(entry instanceof Map<?, ?> counts)) {
                return Verdict.MISSING_FIELD;
            }
            long seeders = counts.get("complete") instanceof Long c ? c : -1;
            long leechers = counts.get("incomplete") instanceof Long c ? c : -1;
            long downloaded = counts.get("downloaded") instanceof Long c ? c : -1;
            if (seeders < 0 || leechers < 0 || downloaded < 0) {
                return Verdict.NEGATIVE_COUNT;
            }
            if (!peers.plausibleSwarm(torrents[i], seeders, leechers)) {
                return Verdict.IMPLAUSIBLE_COUNT;
            }
        }
        return matched == files.size() ? Verdict.OK : Verdict.FOREIGN_PEER;
    }

    private Map<?, ?> dictionary(byte[] body, int off, int len) {
        try {
            Object decoded = allowUnsortedKeys ? LenientBencode.decode(body, off, len)
                    : Bencode.decode(java.util.Arrays.copyOfRange(body, off, off + len));
            return decoded instanceof Map<?, ?> map ? map : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
