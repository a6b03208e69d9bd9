package io.shoal.tracker.ingress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Every address of a host name: one per replica when the name is a headless Service. */
@FunctionalInterface
interface EndpointResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    EndpointResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
