package io.shoal.tracker.protocol;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * BEP 15 connection ids that need no server state: the issue time (unsigned 32-bit epoch seconds) in the high
 * half and a keyed MAC of (client address, issue time) in the low half. Any process holding the same key can
 * validate ids another one issued, which is what lets several ingress replicas share clients.
 *
 * <p>Thread-safe (immutable) and allocation-free.
 */
public final class ConnectionIds {
    /** BEP 15: a client may use a connection id for two minutes after receiving it. */
    public static final int LIFETIME_SECONDS = 120;
    /** How far an id's issue time may lie ahead of our clock (clock steps between processes sharing a key). */
    public static final int FUTURE_TOLERANCE_SECONDS = 5;
    /** The longest grace accepted: ids stay replayable from a spoofed source for as long as they are valid. */
    public static final Duration MAX_GRACE = Duration.ofHours(1);

    private final long k0;
    private final long k1;
    private final long maxAgeSeconds;

    public ConnectionIds(byte[] key16, Duration grace) {
        if (key16 == null || key16.length != 16) {
            throw new IllegalArgumentException("connection id key must be 16 bytes");
        }
        if (grace == null || grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw new IllegalArgumentException("grace must be between 0 and 1 hour");
        }
        this.k0 = SipHash24.keyWord(key16, 0);
        this.k1 = SipHash24.keyWord(key16, 8);
        this.maxAgeSeconds = LIFETIME_SECONDS + grace.getSeconds();
    }

    /** A new id for a client (address as 4 or 16 bytes, already normalised) at the given time. */
    public long issue(byte[] clientIp, long nowEpochSeconds) {
        int time = (int) nowEpochSeconds;
        return ((long) time << 32) | (mac(clientIp, time) & 0xFFFF_FFFFL);
    }

    public boolean isValid(long connectionId, byte[] clientIp, long nowEpochSeconds) {
        int issued = (int) (connectionId >>> 32);
        // Difference in 32-bit arithmetic, so the check survives the unsigned wrap of the time field.
        int age = (int) nowEpochSeconds - issued;
        if (age < -FUTURE_TOLERANCE_SECONDS || age > maxAgeSeconds) {
            return false;
        }
        return (int) connectionId == mac(clientIp, issued);
    }

    private int mac(byte[] clientIp, int time) {
        return (int) SipHash24.hashWithSuffix(k0, k1, clientIp, time);
    }

    public static byte[] randomKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Parses a key written as 32 hex characters or as base64 (standard or URL-safe, padded or not) of 16 bytes. */
    public static byte[] parseKey(String text) {
        if (text == null) {
            throw new IllegalArgumentException("connection id key is missing");
        }
        String t = text.strip();
        if (t.length() == 32) {
            try {
                return HexFormat.of().parseHex(t);
            } catch (IllegalArgumentException notHex) {
                // fall through: report the one error message below
            }
        }
        byte[] decoded = null;
        try {
            decoded = (t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(t);
        } catch (IllegalArgumentException notBase64) {
            // fall through
        }
        if (decoded == null || decoded.length != 16) {
            throw new IllegalArgumentException("connection id key must be 32 hex characters or base64 of 16 bytes");
        }
        return decoded;
    }
}
