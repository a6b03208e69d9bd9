package io.shoal.tracker.ingress;

import io.shoal.tracker.ingress.http.HttpIngressSettings;
import io.shoal.tracker.server.TransportKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a running ingress needs, validated.
 *
 * @param routingFile      routing document to follow, or null when {@code routingConfigMap} is set
 * @param routingConfigMap name of the ConfigMap (key {@code routing.json}) to follow, or null
 */
public record IngressConfig(
        List<String> bindAddresses,
        int port,
        int adminPort,
        Path routingFile,
        String routingConfigMap,
        UdpIngressSettings udp,
        HttpIngressSettings http,
        Duration resolveInterval,
        Duration routingFilePoll,
        int threads,
        TransportKind transport) {

    public static final String CONFIGMAP_PREFIX = "configmap:";

    public IngressConfig {
        bindAddresses = List.copyOf(bindAddresses);
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one bind address is needed");
        }
        if (port < 0 || port > 65535 || adminPort < 0 || adminPort > 65535) {
            throw new IllegalArgumentException("ports must be 0..65535");
        }
        if ((routingFile == null) == (routingConfigMap == null)) {
            throw new IllegalArgumentException("routing comes from exactly one of a file and a ConfigMap");
        }
        if (routingConfigMap != null && !routingConfigMap.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            throw new IllegalArgumentException("'" + routingConfigMap + "' is not a ConfigMap name");
        }
        Objects.requireNonNull(udp, "udp settings");
        Objects.requireNonNull(http, "http settings");
        requireBetween("resolve interval", resolveInterval, Duration.ofMillis(100), Duration.ofHours(1));
        requireBetween("routing file poll", routingFilePoll, Duration.ofMillis(10), Duration.ofHours(1));
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        Objects.requireNonNull(transport, "transport");
    }

    /** {@code FILE} or {@code configmap:NAME}, as the command line takes it. */
    public static IngressConfig withRouting(String routing, List<String> bindAddresses, int port, int adminPort,
                                            UdpIngressSettings udp, HttpIngressSettings http,
                                            Duration resolveInterval, int threads,
                                            TransportKind transport) {
        if (routing == null || routing.isBlank()) {
            throw new IllegalArgumentException("--routing is needed: a file or configmap:NAME");
        }
        boolean configMap = routing.startsWith(CONFIGMAP_PREFIX);
        return new IngressConfig(bindAddresses, port, adminPort,
                configMap ? null : Path.of(routing), configMap ? routing.substring(CONFIGMAP_PREFIX.length()) : null,
                udp, http, resolveInterval, Duration.ofSeconds(1), threads, transport);
    }

    private static void requireBetween(String what, Duration d, Duration min, Duration max) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " must be between " + min.toMillis() + "ms and " + max);
        }
    }
}
