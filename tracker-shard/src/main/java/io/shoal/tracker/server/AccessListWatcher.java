package io.shoal.tracker.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an {@link AccessList} in step with its file. {@link #poll()} re-reads the file when its modification
 * time or size changed (checked, not watched: polling works on every file system, including Kubernetes
 * ConfigMap mounts that swap symlinks). A file that cannot be read keeps the previous list.
 */
public final class AccessListWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(AccessListWatcher.class);
    /** Bounds memory for a file that is not what it should be (about 40 MB of hashes). */
    static final long MAX_FILE_BYTES = 1L << 30;

    private final Path file;
    private final AccessMode mode;
    private volatile AccessList current;
    private FileTime lastModified;
    private long lastSize = -1;
    private boolean lastFailed;

    private AccessListWatcher(Path file, AccessMode mode) {
        this.file = file;
        this.mode = mode;
        this.current = AccessList.of(mode, java.util.List.of());
    }

    /** Reads the file once; a file that cannot be read at start is an error (most likely a wrong path). */
    public static AccessListWatcher open(Path file, AccessMode mode) throws IOException {
        AccessListWatcher w = new AccessListWatcher(file, mode);
        w.load(Files.readAttributes(file, BasicFileAttributes.class));
        return w;
    }

    public AccessList current() {
        return current;
    }

    public Path file() {
        return file;
    }

    /** Reloads when the file changed. Called from one scheduler thread. */
    public synchronized void poll() {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!lastFailed && attrs.lastModifiedTime().equals(lastModified) && attrs.size() == lastSize) {
                return;
            }
            load(attrs);
            lastFailed = false;
        } catch (IOException | RuntimeException e) {
            if (!lastFailed) {
                LOG.warn("Access list {} could not be read ({}); keeping the previous {} entries",
                        file, e.toString(), current.size());
            }
            lastFailed = true;
        }
    }

    private void load(BasicFileAttributes attrs) throws IOException {
        if (attrs.size() > MAX_FILE_BYTES) {
            throw new IOException("file is larger than " + MAX_FILE_BYTES + " bytes");
        }
        AccessList list = AccessList.parse(mode, Files.readAllLines(file, StandardCharsets.ISO_8859_1),
                (line, number) -> LOG.warn("Access list {} line {} is not a 40-hex-digit info hash, skipped: {}",
                        file, number, abbreviate(line)));
        current = list;
        lastModified = attrs.lastModifiedTime();
        lastSize = attrs.size();
        LOG.info("Access list {} loaded: {} hashes ({} mode)", file, list.size(), mode.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }
}
