package io.shoal.tracker.peers.redis;

import io.shoal.routing.Slots;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Names of the Redis keys of the Redis peer store. Every key carries its slot as a Redis-Cluster hash tag, so
 * that all keys of a slot live together and a slot can be listed (through its index) and moved:
 * <pre>
 *   sh:{ssss}:&lt;infohash hex&gt;:4   sorted set of IPv4 peers: member = 6-byte compact address,
 *                               score = expiry (epoch ms)
 *   sh:{ssss}:&lt;infohash hex&gt;:6   sorted set of IPv6 peers: member = 18-byte compact address, same scores
 *   sh:{ssss}:&lt;infohash hex&gt;:p   hash: compact address -&gt; '1' (seeder) or '0' (leecher) + 20-byte peer id;
 *                               field c = the torrent's counters, packed (see prelude.lua): n4, n6 = peers per
 *                               family, s = seeders, d = downloaded, t = last TTL refresh, e = expiry floor
 *   sh:{ssss}:&lt;infohash hex&gt;:d   hash, only for a torrent with downloads: d = downloaded (a copy of the
 *                               peer hash's while peers are there), u = store time (ms) its retention ends,
 *                               set once the torrent is peerless ("kept" for its download count)
 *   sh:{ssss}:torrents          set of the slot's raw 20-byte infohashes: torrents with peers, and kept ones
 *   sh:{ssss}:kept              set of the slot's kept (peerless) infohashes, which give way to new torrents
 * </pre>
 * The peer keys of a torrent expire together some margin after its last peer would (see RedisStoreOptions); the
 * download key outlives them by the downloads retention, so a torrent that goes idle unnoticed keeps its count.
 * A kept torrent has only its download key. Moving a slot: union the sorted sets with MAX scores (idempotent),
 * copy the hash's peer fields and the counters
 * with the larger {@code d} of both hashes and {@code e} = 0, union the indexes and kept sets, then
 * {@code RedisPeerStore.recountSlot} the target slot, since n4/n6/s are derived counters.
 */
public final class RedisKeys {

    /** SCAN pattern matching every slot index. */
    public static final String INDEX_PATTERN = "sh:{????}:torrents";

    static final byte FAMILY4 = '4';
    static final byte FAMILY6 = '6';
    static final byte PEER_HASH = 'p';
    static final byte DOWNLOADS = 'd';

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** "sh:{" + 4 + "}:" + 40 + ":" + 1 */
    private static final int TORRENT_KEY_LENGTH = 4 + 4 + 2 + 40 + 1 + 1;

    private RedisKeys() {
    }

    /** The key of one torrent with the given suffix ({@link #FAMILY4}, {@link #FAMILY6}, {@link #PEER_HASH}). */
    static byte[] torrentKey(byte[] infoHash, byte suffix) {
        byte[] key = prefixed(infoHash, TORRENT_KEY_LENGTH);
        key[TORRENT_KEY_LENGTH - 1] = suffix;
        return key;
    }

    /**
     * The common prefix of a torrent's keys, {@code sh:{ssss}:<infohash hex>:}: the scripts name a torrent's keys
     * (and its slot's index and kept set) from it, so an announce or scrape sends one key per torrent.
     */
    static byte[] torrentPrefix(byte[] infoHash) {
        return prefixed(infoHash, TORRENT_KEY_LENGTH - 1);
    }

    private static byte[] prefixed(byte[] infoHash, int length) {
        byte[] key = new byte[length];
        key[0] = 's';
        key[1] = 'h';
        key[2] = ':';
        key[3] = '{';
        // the slot is the first two bytes of the infohash, so its hex is the infohash's first four digits
        hex(infoHash, 0, 2, key, 4);
        key[8] = '}';
        key[9] = ':';
        hex(infoHash, 0, 20, key, 10);
        key[50] = ':';
        return key;
    }

    /** The key with the given suffix of the torrent of a {@link #torrentPrefix}. */
    static byte[] fromPrefix(byte[] prefix, byte suffix) {
        byte[] key = Arrays.copyOf(prefix, TORRENT_KEY_LENGTH);
        key[TORRENT_KEY_LENGTH - 1] = suffix;
        return key;
    }

    /** A copy of a torrent key with another suffix (saves re-encoding the hex). */
    static byte[] withSuffix(byte[] torrentKey, byte suffix) {
        byte[] key = torrentKey.clone();
        key[TORRENT_KEY_LENGTH - 1] = suffix;
        return key;
    }

    /** A torrent's four keys, in the order {IPv4 peers, IPv6 peers, peer hash, downloads}, hex-encoded once. */
    static byte[][] torrentKeys(byte[] infoHash) {
        byte[] k4 = torrentKey(infoHash, FAMILY4);
        return new byte[][] {k4, withSuffix(k4, FAMILY6), withSuffix(k4, PEER_HASH), withSuffix(k4, DOWNLOADS)};
    }

    static byte[] indexKey(int slot) {
        return indexKeyName(slot).getBytes(StandardCharsets.US_ASCII);
    }

    public static String indexKeyName(int slot) {
        return "sh:{" + Slots.hex(slot) + "}:torrents";
    }

    static byte[] keptKey(int slot) {
        return keptKeyName(slot).getBytes(StandardCharsets.US_ASCII);
    }

    /** The set of a slot's peerless torrents kept for their download count. */
    public static String keptKeyName(int slot) {
        return "sh:{" + Slots.hex(slot) + "}:kept";
    }

    /**
     * The names of the four keys a torrent may have: IPv4 peers, IPv6 peers, peer hash (ids and counters), and
     * download count.
     */
    public static List<String> torrentKeyNames(byte[] infoHash) {
        checkInfoHash(infoHash);
        byte[][] keys = torrentKeys(infoHash);
        return List.of(
                new String(keys[0], StandardCharsets.US_ASCII),
                new String(keys[1], StandardCharsets.US_ASCII),
                new String(keys[2], StandardCharsets.US_ASCII),
                new String(keys[3], StandardCharsets.US_ASCII));
    }

    /** The slot of an index key name, or -1 when the name is not one. */
    public static int slotOfIndexKey(byte[] key) {
        if (key.length != 18 || key[0] != 's' || key[1] != 'h' || key[2] != ':' || key[3] != '{' || key[8] != '}') {
            return -1;
        }
        if (!":torrents".equals(new String(key, 9, 9, StandardCharsets.US_ASCII))) {
            return -1;
        }
        int slot = 0;
        for (int i = 4; i < 8; i++) {
            int d = Character.digit(key[i], 16);
            if (d < 0 || Character.isUpperCase(key[i])) {
                return -1;
            }
            slot = (slot << 4) | d;
        }
        return slot;
    }

    static void checkInfoHash(byte[] infoHash) {
        if (infoHash.length != 20) {
            throw new IllegalArgumentException("info hash must be 20 bytes");
        }
    }

    private static void hex(byte[] src, int from, int to, byte[] dst, int at) {
        for (int i = from; i < to; i++) {
            int b = src[i] & 0xFF;
            dst[at++] = HEX[b >>> 4];
            dst[at++] = HEX[b & 0xF];
        }
    }
}
