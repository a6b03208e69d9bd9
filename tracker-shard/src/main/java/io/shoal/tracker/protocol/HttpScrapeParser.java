package io.shoal.tracker.protocol;

import java.util.List;

public final class HttpScrapeParser {
    private HttpScrapeParser() {
    }

    public static List<byte[]> parse(HttpQuery q, int maxHashes) {
        throw new UnsupportedOperationException();
    }
}
