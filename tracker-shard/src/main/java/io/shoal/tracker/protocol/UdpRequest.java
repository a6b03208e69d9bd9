package io.shoal.tracker.protocol;

import java.util.List;

/** One decoded BEP 15 request. */
public sealed interface UdpRequest permits UdpRequest.Connect, UdpRequest.Announce, UdpRequest.Scrape {
    int transactionId();

    record Connect(int transactionId) implements UdpRequest {
    }

    record Announce(long connectionId, int transactionId, AnnounceRequest request) implements UdpRequest {
    }

    record Scrape(long connectionId, int transactionId, List<byte[]> infoHashes) implements UdpRequest {
    }
}
