package io.shoal.tracker.server;

import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.protocol.FullScrapeWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The full-scrape document (BEP 48 {@code files} of every torrent), built at most once per refresh period
 * and kept both raw and gzipped, so that serving it costs a buffer wrap, not a walk of the store. Builds run
 * on the given executor, never on an event loop; concurrent callers share one build. A shard builds it from its
 * store; the ingress from the merged documents of every shard.
 */
public final class FullScrapeCache {

    /** One built document. */
    public record Snapshot(byte[] raw, byte[] gzip, int torrents, long builtAtNanos) {
    }

    /** A document as its source made it: the bencoded bytes and how many torrents they list. */
    public record Document(byte[] raw, int torrents) {
    }

    private final Supplier<? extends CompletionStage<Document>> source;
    private final long refreshNanos;
    private final Executor builder;
    private final LongSupplier nanoClock;

    private volatile CompletableFuture<Snapshot> current;
    private CompletableFuture<Snapshot> building;

    /**
     * A cache of the documents {@code source} builds. The source is called on {@code builder}; whatever it does after
     * its stage completes runs where that completes, so a source that does heavy work there hands it to an executor.
     */
    public FullScrapeCache(Supplier<? extends CompletionStage<Document>> source, Duration refresh, Executor builder,
                           LongSupplier nanoClock) {
        this.source = source;
        this.refreshNanos = refresh.toNanos();
        this.builder = builder;
        this.nanoClock = nanoClock;
    }

    public FullScrapeCache(PeerStore store, Supplier<AccessList> accessList, Duration refresh, Executor builder,
                           LongSupplier nanoClock) {
        this(() -> fromStore(store, accessList.get(), builder), refresh, builder, nanoClock);
    }

    public FullScrapeCache(PeerStore store, Supplier<AccessList> accessList, Duration refresh, Executor builder) {
        this(store, accessList, refresh, builder, System::nanoTime);
    }

    /** The current document, or a fresh one when the current is older than the refresh period. */
    public CompletionStage<Snapshot> get() {
        CompletableFuture<Snapshot> cur = current;
        if (cur != null && nanoClock.getAsLong() - cur.join().builtAtNanos() < refreshNanos) {
            return cur;
        }
        synchronized (this) {
            cur = current;
            if (cur != null && nanoClock.getAsLong() - cur.join().builtAtNanos() < refreshNanos) {
                return cur;
            }
            CompletableFuture<Snapshot> b = building;
            if (b == null) {
                CompletableFuture<Snapshot> started = build();
                building = started;
                // May run at once (and clear `building`) when the build was quick.
                started.whenComplete((snapshot, failure) -> finished(started, snapshot));
                b = started;
            }
            return b;
        }
    }

    private synchronized void finished(CompletableFuture<Snapshot> b, Snapshot snapshot) {
        if (snapshot != null) {
            current = CompletableFuture.completedFuture(snapshot);
        }
        if (building == b) {
            building = null;
        }
    }

    private CompletableFuture<Snapshot> build() {
        return CompletableFuture.supplyAsync(source, builder)
                .thenCompose(stage -> stage)
                .thenApplyAsync(doc -> new Snapshot(doc.raw(), gzip(doc.raw()), doc.torrents(), nanoClock.getAsLong()),
                        builder);
    }

    private static CompletionStage<Document> fromStore(PeerStore store, AccessList list, Executor builder) {
        FullScrapeWriter writer = new FullScrapeWriter();
        return store.fullScrape((hash, counts) -> {
            if (list.allows(hash)) {
                writer.add(hash, counts);
            }
        }).thenApplyAsync(done -> new Document(writer.finish(), writer.size()), builder);
    }

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
