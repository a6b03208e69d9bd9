package io.shoal.tracker.ingress;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where the ingress sends a request: the slot map of the current epoch joined with the resolved addresses of
 * every shard's replicas. The UDP and the HTTP side of the ingress both read it; it is replaced as a whole
 * when the routing document or a shard's DNS answer changes, so a request sees one consistent view.
 *
 * <p>A replica address is the shard's internal port: UDP there takes only PROXY v2 datagrams, TCP there
 * serves HTTP with {@code X-Forwarded-For} honoured from trusted proxy networks.
 */
public interface Routes {

    /** Epoch of the slot map these routes come from. */
    long epoch();

    int shardCount();

    /** Index of the shard owning {@code slot} (0..65535). */
    int shardOfSlot(int slot);

    /**
     * The replica the next request for {@code shard} goes to, spread over the replicas currently believed
     * healthy; null when the shard has none (the caller answers the client with an error).
     */
    InetSocketAddress pick(int shard);

    /** All resolved replicas of {@code shard}, healthy or not, for fan-out and for metrics. */
    List<InetSocketAddress> replicas(int shard);

    /** The replica did not answer in time or refused: take it out of {@link #pick} for a while. */
    void failed(int shard, InetSocketAddress replica);

    /** The replica answered: it is healthy again if it had been taken out. */
    void answered(int shard, InetSocketAddress replica);
}
