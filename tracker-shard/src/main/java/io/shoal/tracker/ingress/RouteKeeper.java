package io.shoal.tracker.ingress;

import io.shoal.routing.Endpoint;
import io.shoal.routing.SlotMap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's current routes: accepts routing documents from a source (file or ConfigMap), refuses bad and
 * stale ones while keeping what it has, and re-resolves the endpoints' host names when asked. Readers get an
 * immutable {@link Routes} through {@link #get()}; writers (the source's thread, the resolve job) are serialised.
 */
public final class RouteKeeper implements Supplier<Routes> {
    private static final Logger LOG = LoggerFactory.getLogger(RouteKeeper.class);

    /** What became of an offered document. */
    public enum Outcome { INSTALLED, UNCHANGED, REFUSED }

    private final EndpointResolver resolver;
    private final ReplicaHealth health;
    private volatile ResolvedRoutes current;
    /** Last good answer per host, kept when a later lookup fails (a DNS hiccup must not empty a shard). */
    private final Map<String, List<InetAddress>> lastAnswers = new HashMap<>();

    RouteKeeper(EndpointResolver resolver, ReplicaHealth health) {
        this.resolver = resolver;
        this.health = health;
    }

    public static RouteKeeper create() {
        return new RouteKeeper(EndpointResolver.SYSTEM, ReplicaHealth.standard());
    }

    /** The current routes, or null before the first document was accepted. */
    @Override
    public Routes get() {
        return current;
    }

    /** Parses and offers a routing document; a document that does not parse is refused with a log line. */
    public Outcome offer(String json, String origin) {
        SlotMap map;
        try {
            map = SlotMap.fromJson(json);
        } catch (IllegalArgumentException e) {
            LOG.error("Routing document from {} refused, keeping epoch {}: {}", origin, epochText(), e.getMessage());
            return Outcome.REFUSED;
        }
        return offer(map, origin);
    }

    public synchronized Outcome offer(SlotMap map, String origin) {
        List<Integer> missing = map.shardsWithoutEndpoint();
        if (!missing.isEmpty()) {
            LOG.error("Routing document from {} refused, keeping epoch {}: shards {} have no endpoint",
                    origin, epochText(), missing);
            return Outcome.REFUSED;
        }
        ResolvedRoutes now = current;
        if (now != null) {
            if (map.epoch() < now.epoch()) {
                LOG.error("Routing document from {} refused: epoch {} is older than the current {}",
                        origin, map.epoch(), now.epoch());
                return Outcome.REFUSED;
            }
            if (map.epoch() == now.epoch()) {
                if (map.equals(now.slotMap())) {
                    return Outcome.UNCHANGED;
                }
                LOG.error("Routing document from {} refused: epoch {} is already loaded with other contents; "
                        + "a changed map needs a greater epoch", origin, map.epoch());
                return Outcome.REFUSED;
            }
        }
        install(map);
        LOG.info("Routing epoch {} from {}: {} shards", map.epoch(), origin, map.shardCount());
        return Outcome.INSTALLED;
    }

    /** Looks every endpoint up again; routes are replaced only when an answer changed. */
    public synchronized void refresh() {
        ResolvedRoutes now = current;
        if (now == null) {
            return;
        }
        List<List<InetSocketAddress>> resolved = resolveAll(now.slotMap());
        if (!resolved.equals(now.addresses())) {
            LOG.info("Shard addresses changed: {}", resolved);
            current = new ResolvedRoutes(now.slotMap(), resolved, health);
            forgetUnused(resolved);
        }
    }

    private void install(SlotMap map) {
        List<List<InetSocketAddress>> resolved = resolveAll(map);
        current = new ResolvedRoutes(map, resolved, health);
        forgetUnused(resolved);
    }

    private void forgetUnused(List<List<InetSocketAddress>> resolved) {
        List<InetSocketAddress> all = new ArrayList<>();
        resolved.forEach(all::addAll);
        health.retainOnly(all);
    }

    private List<List<InetSocketAddress>> resolveAll(SlotMap map) {
        List<List<InetSocketAddress>> out = new ArrayList<>(map.shardCount());
        Map<String, List<InetAddress>> seen = new HashMap<>();
        for (int shard = 0; shard < map.shardCount(); shard++) {
            Endpoint endpoint = Endpoint.parse(map.endpoint(shard));
            List<InetAddress> addresses = seen.computeIfAbsent(endpoint.host(), this::lookUp);
            List<InetSocketAddress> sockets = new ArrayList<>(addresses.size());
            for (InetAddress a : addresses) {
                sockets.add(new InetSocketAddress(a, endpoint.port()));
            }
            out.add(List.copyOf(sockets));
        }
        lastAnswers.keySet().retainAll(seen.keySet());
        return out;
    }

    private List<InetAddress> lookUp(String host) {
        try {
            // Sorted so that the same answer in another order is no change (DNS servers rotate their answers).
            List<InetAddress> answer = new ArrayList<>(resolver.resolve(host));
            answer.sort((a, b) -> java.util.Arrays.compare(a.getAddress(), b.getAddress()));
            List<InetAddress> distinct = answer.stream().distinct().toList();
            lastAnswers.put(host, distinct);
            return distinct;
        } catch (UnknownHostException | RuntimeException e) {
            List<InetAddress> last = lastAnswers.getOrDefault(host, List.of());
            LOG.warn("Cannot resolve shard host {} ({}); using the last answer {}", host, e.getMessage(), last);
            return last;
        }
    }

    private String epochText() {
        ResolvedRoutes now = current;
        return now == null ? "none" : Long.toString(now.epoch());
    }

    /** Routes are loaded and every shard has at least one resolved replica. */
    public boolean isReady() {
        ResolvedRoutes now = current;
        if (now == null) {
            return false;
        }
        for (int shard = 0; shard < now.shardCount(); shard++) {
            if (now.replicas(shard).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Per shard: resolved replicas and how many are in rotation (for /stats). */
    public List<Map<String, Object>> shardSummary() {
        ResolvedRoutes now = current;
        List<Map<String, Object>> out = new ArrayList<>();
        if (now == null) {
            return out;
        }
        for (int shard = 0; shard < now.shardCount(); shard++) {
            Map<String, Object> s = new java.util.LinkedHashMap<>();
            s.put("shard", shard);
            s.put("endpoint", now.slotMap().endpoint(shard));
            s.put("slots", now.slotMap().shards().get(shard).slotCount());
            s.put("replicas", now.replicas(shard).stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList());
            s.put("available", now.available(shard));
            out.add(s);
        }
        return out;
    }

    /** Epoch of the current routes, 0 before any. */
    public long epoch() {
        ResolvedRoutes now = current;
        return now == null ? 0 : now.epoch();
    }
}
