package io.shoal.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.shoal.operator.resources.Names;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The UDP connection-id key: 16 random bytes as 32 hex digits, shared by a cluster's ingress and shards. */
final class ConnectionIdKey {

    private static final Pattern HEX32 = Pattern.compile("^[0-9a-f]{32}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConnectionIdKey() {
    }

    static String generate() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    /** The key a Secret holds, or null when it holds none that is valid. */
    static String read(Secret secret) {
        if (secret.getData() == null || secret.getData().get(Names.CONNECTION_ID_KEY) == null) {
            return null;
        }
        try {
            String key = new String(Base64.getDecoder().decode(secret.getData().get(Names.CONNECTION_ID_KEY)),
                    StandardCharsets.US_ASCII).trim();
            return HEX32.matcher(key).matches() ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
