package io.shoal.tracker.server;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns configured bind addresses into socket addresses; the dual-stack wildcard falls back to IPv4 where IPv6 is off. */
public final class BindAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(BindAddresses.class);

    private BindAddresses() {
    }

    public static List<InetAddress> resolve(List<String> configured) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>(configured.size());
        for (String host : configured) {
            InetAddress a = InetAddress.getByName(host);
            if (a.isAnyLocalAddress() && a.getAddress().length == 16 && !ipv6Available()) {
                LOG.info("IPv6 is not available; listening on {} instead of {}", ShardConfig.ANY_IPV4, host);
                a = InetAddress.getByName(ShardConfig.ANY_IPV4);
            }
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    private static boolean ipv6Available() {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::"), 0))) {
            return true;
        } catch (SocketException | UnknownHostException e) {
            return false;
        }
    }
}
