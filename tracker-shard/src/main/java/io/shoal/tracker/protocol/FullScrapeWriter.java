package io.shoal.tracker.protocol;

import io.shoal.tracker.peers.SwarmCounts;

public final class FullScrapeWriter {
    public FullScrapeWriter() {
    }

    public void add(byte[] hash, SwarmCounts c) {
        throw new UnsupportedOperationException();
    }

    public byte[] finish() {
        throw new UnsupportedOperationException();
    }
}
