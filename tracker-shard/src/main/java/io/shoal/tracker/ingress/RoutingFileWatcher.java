package io.shoal.tracker.ingress;

import io.shoal.routing.SlotMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a routing file to a {@link RouteKeeper} whenever its contents change. Polled rather than watched, as
 * the access list is: polling works on every file system, including ConfigMap mounts that swap symlinks, and a
 * comparison of contents (not of modification times) sees a change made within one clock tick.
 */
public final class RoutingFileWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingFileWatcher.class);

    private final Path file;
    private final RouteKeeper keeper;
    private byte[] lastSeen;
    private boolean lastFailed;

    public RoutingFileWatcher(Path file, RouteKeeper keeper) {
        this.file = file;
        this.keeper = keeper;
    }

    /** Reads the file and offers it when it differs from what was last read. Called from one scheduler thread. */
    public synchronized RouteKeeper.Outcome poll() {
        byte[] bytes;
        try {
            bytes = readBounded();
            lastFailed = false;
        } catch (IOException e) {
            if (!lastFailed) {
                LOG.warn("Routing file {} cannot be read ({}); keeping epoch {}", file, e.toString(), keeper.epoch());
            }
            lastFailed = true;
            return RouteKeeper.Outcome.REFUSED;
        }
        if (Arrays.equals(bytes, lastSeen)) {
            return RouteKeeper.Outcome.UNCHANGED;
        }
        lastSeen = bytes;
        return keeper.offer(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    private byte[] readBounded() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            // Routing documents are ASCII (numbers, DNS names, IP literals): bytes bound chars.
            byte[] bytes = in.readNBytes(SlotMap.MAX_JSON_CHARS + 1);
            if (bytes.length > SlotMap.MAX_JSON_CHARS) {
                throw new IOException("larger than a routing document can be");
            }
            return bytes;
        }
    }
}
