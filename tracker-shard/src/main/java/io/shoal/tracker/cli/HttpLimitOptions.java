package io.shoal.tracker.cli;

import io.shoal.tracker.cli.Converters.DurationConverter;
import io.shoal.tracker.ingress.http.HttpIngressSettings;
import io.shoal.tracker.server.ShardConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The limits on client HTTP connections: the same flags on every command that serves HTTP (shard, ingress). */
final class HttpLimitOptions {

    @Option(names = "--http-idle-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Idle HTTP connections are closed after this. Env SHOAL_HTTP_IDLE_TIMEOUT. Default: ${DEFAULT-VALUE}.")
    private Duration idleTimeout;

    @Option(names = "--http-request-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "An HTTP request must arrive in full this long after its first byte, or the connection is "
                    + "closed. Env SHOAL_HTTP_REQUEST_TIMEOUT. Default: ${DEFAULT-VALUE}.")
    private Duration requestTimeout;

    @Option(names = "--http-max-connections", paramLabel = "N", defaultValue = "20000",
            description = "Most open HTTP connections; more are closed at once. "
                    + "Env SHOAL_HTTP_MAX_CONNECTIONS. Default: ${DEFAULT-VALUE}.")
    private int maxConnections;

    @Option(names = "--http-max-connections-per-address", paramLabel = "N", defaultValue = "256",
            description = "Most open HTTP connections from one client address (IPv6: per /64); more are closed at once. "
                    + "Env SHOAL_HTTP_MAX_CONNECTIONS_PER_ADDRESS. Default: ${DEFAULT-VALUE}.")
    private int maxConnectionsPerAddress;

    ShardConfig.Builder applyTo(ShardConfig.Builder b) {
        return b.httpIdleTimeout(idleTimeout)
                .httpRequestTimeout(requestTimeout)
                .httpMaxConnections(maxConnections)
                .httpMaxConnectionsPerAddress(maxConnectionsPerAddress);
    }

    HttpIngressSettings.Builder applyTo(HttpIngressSettings.Builder b) {
        return b.httpIdleTimeout(idleTimeout)
                .httpRequestTimeout(requestTimeout)
                .httpMaxConnections(maxConnections)
                .httpMaxConnectionsPerAddress(maxConnectionsPerAddress);
    }
}
