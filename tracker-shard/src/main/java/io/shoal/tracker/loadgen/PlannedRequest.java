package io.shoal.tracker.loadgen;

/** The next request to send, filled in place by {@link TrafficMix} so that planning allocates nothing. */
final class PlannedRequest {
    static final byte CONNECT = 1;
    static final byte ANNOUNCE = 2;
    static final byte SCRAPE = 3;

    byte kind;
    int client;
    int torrent;
    int event;
    long left;
    final int[] hashes;
    int hashCount;

    PlannedRequest(int maxHashes) {
        hashes = new int[maxHashes];
    }

    void connect(int client) {
        this.kind = CONNECT;
        this.client = client;
        this.torrent = -1;
        this.hashCount = 0;
    }

    void announce(int client, int torrent, int event, long left) {
        this.kind = ANNOUNCE;
        this.client = client;
        this.torrent = torrent;
        this.event = event;
        this.left = left;
        this.hashCount = 0;
    }

    void scrape(int client) {
        this.kind = SCRAPE;
        this.client = client;
        this.torrent = -1;
        this.hashCount = 0;
    }
}
