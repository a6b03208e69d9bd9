package io.shoal.tracker.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code --bind} values, checked as a usage error before anything starts (a failed bind later says less). */
final class BindAddresses {
    private BindAddresses() {
    }

    static void requireResolvable(List<String> hosts, CommandLine cl) {
        for (String host : hosts) {
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new ParameterException(cl, "Bind address '" + host + "' cannot be resolved");
            }
        }
    }
}
