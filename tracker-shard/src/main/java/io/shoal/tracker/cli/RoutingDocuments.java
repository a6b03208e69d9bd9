package io.shoal.tracker.cli;

import io.shoal.routing.SlotMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a routing document from a file or a stream, bounded in size, refusing anything that is not a valid map. */
final class RoutingDocuments {

    /** Bytes read at most; a UTF-8 document of {@link SlotMap#MAX_JSON_CHARS} characters is at least that long. */
    static final int MAX_BYTES = SlotMap.MAX_JSON_CHARS;

    private RoutingDocuments() {
    }

    /** Reads {@code source}: a path, or {@code -} for {@code stdin}. Errors are IllegalArgumentExceptions naming it. */
    static SlotMap read(String source, InputStream stdin) {
        String name = "-".equals(source) ? "standard input" : source;
        byte[] bytes;
        try {
            if ("-".equals(source)) {
                bytes = stdin.readNBytes(MAX_BYTES + 1);
            } else {
                Path path = Path.of(source);
                if (Files.isDirectory(path)) {
                    throw new IllegalArgumentException(name + " is a directory, not a routing document");
                }
                try (InputStream in = Files.newInputStream(path)) {
                    bytes = in.readNBytes(MAX_BYTES + 1);
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + name + ": " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(name + " is larger than " + MAX_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(name + " is empty: expected a routing document");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + " is not UTF-8 text");
        }
        try {
            return SlotMap.fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + oneLine(e.getMessage()));
        }
    }

    /** Jackson messages span lines and quote source excerpts; the first line says what is wrong. */
    static String oneLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
