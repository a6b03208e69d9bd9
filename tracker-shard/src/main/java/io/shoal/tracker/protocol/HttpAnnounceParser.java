package io.shoal.tracker.protocol;

public final class HttpAnnounceParser {
    private HttpAnnounceParser() {
    }

    public static AnnounceRequest parse(HttpQuery q) {
        throw new UnsupportedOperationException();
    }
}
