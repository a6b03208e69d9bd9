package io.shoal.tracker.cli;

import io.shoal.tracker.protocol.ConnectionIds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The UDP connection id key of {@code shard} and {@code ingress}: from {@code --connection-id-key-file} or the
 * environment variable {@value #VARIABLE} (32 hex digits or base64 of 16 bytes). Errors are usage errors that
 * never echo the key.
 */
final class ConnectionIdKeys {
    static final String VARIABLE = "SHOAL_CONNECTION_ID_KEY";
    private static final int MAX_KEY_FILE_BYTES = 1024;

    private ConnectionIdKeys() {
    }

    /** The configured key, or null when neither the file nor the variable is set. */
    static byte[] load(Path file, Map<String, String> env, CommandLine cl) {
        String fromEnv = env.get(VARIABLE);
        if (file != null && fromEnv != null) {
            throw new ParameterException(cl, "Both --connection-id-key-file and " + VARIABLE + " are set; use one");
        }
        String text;
        String source;
        if (file != null) {
            source = file.toString();
            text = readSmallFile(file, cl);
        } else if (fromEnv != null) {
            source = VARIABLE;
            text = fromEnv;
        } else {
            return null;
        }
        try {
            return ConnectionIds.parseKey(text.strip());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl,
                    "The connection id key in " + source + " is not 32 hex digits or base64 of 16 bytes");
        }
    }

    private static String readSmallFile(Path file, CommandLine cl) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
            if (bytes.length > MAX_KEY_FILE_BYTES) {
                throw new ParameterException(cl, "Connection id key file " + file + " is too large");
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ParameterException(cl, "Cannot read connection id key file " + file + ": " + e.getMessage());
        }
    }
}
