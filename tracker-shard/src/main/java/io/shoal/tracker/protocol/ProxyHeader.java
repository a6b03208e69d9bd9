package io.shoal.tracker.protocol;

import java.net.InetSocketAddress;

/**
 * A parsed PROXY protocol v2 datagram header.
 *
 * @param source         the client the datagram came from (the address to treat as the peer)
 * @param destination    the public address the client sent it to
 * @param correlationId  the 8-byte correlation id of TLV {@link ProxyV2#TLV_CORRELATION}, if {@code hasCorrelation}
 * @param hasCorrelation whether that TLV was present
 * @param length         bytes the header takes, from the datagram's reader index; the payload follows
 */
public record ProxyHeader(InetSocketAddress source, InetSocketAddress destination, long correlationId,
                          boolean hasCorrelation, int length) {
}
