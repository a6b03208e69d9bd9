package io.shoal.tracker.peers.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script shipped as a resource, with the SHA-1 Redis knows it by. The digest is computed locally so that
 * EVALSHA can be sent before (and independently of) the SCRIPT LOAD reply.
 */
final class LuaScript {

    private final String name;
    private final byte[] body;
    private final byte[] sha;

    private LuaScript(String name, byte[] body) {
        this.name = name;
        this.body = body;
        this.sha = sha1Hex(body).getBytes(StandardCharsets.US_ASCII);
    }

    /** The script made of the given resources (next to this class), concatenated: shared helpers, then a body. */
    static LuaScript resources(String... fileNames) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String fileName : fileNames) {
            try (InputStream in = LuaScript.class.getResourceAsStream(fileName)) {
                if (in == null) {
                    throw new IllegalStateException("missing script resource " + fileName);
                }
                in.transferTo(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new LuaScript(fileNames[fileNames.length - 1], body.toByteArray());
    }

    String name() {
        return name;
    }

    byte[] body() {
        return body;
    }

    /** Lowercase hex SHA-1, as bytes ready for EVALSHA. */
    byte[] sha() {
        return sha;
    }

    static String sha1Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every JDK", e);
        }
    }
}
