package io.shoal.operator.reconcile;

import io.shoal.operator.api.v1alpha1.AccessListSpec;
import io.shoal.operator.api.v1alpha1.AccessMode;
import io.shoal.operator.api.v1alpha1.AnnounceSpec;
import io.shoal.operator.api.v1alpha1.IngressSpec;
import io.shoal.operator.api.v1alpha1.RedisMode;
import io.shoal.operator.api.v1alpha1.RedisSpec;
import io.shoal.operator.api.v1alpha1.ServiceType;
import io.shoal.operator.api.v1alpha1.TrackerClusterSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What is wrong with a TrackerCluster, in words that say what to fix. Repeats the CRD's schema and
 * CEL rules (a server without them, or an object from before a schema change, must still be
 * refused) and adds what the schema cannot say, such as comparing durations.
 */
public final class SpecProblems {

    /** {@code <name>-shard-1023-redis} must stay a valid DNS label (63 characters). */
    public static final int MAX_NAME_LENGTH = 40;

    private static final Pattern DURATION = Pattern.compile("^([0-9]{1,9})(ms|s|m|h|d)?$");
    private static final Pattern HEX40 = Pattern.compile("^[0-9a-fA-F]{40}$");
    private static final Pattern REDIS_URL = Pattern.compile("^rediss?://.+$");
    private static final Pattern REDIS_DB_PATH = Pattern.compile("^/[0-9]{1,2}$");
    private static final Duration MAX_DURATION = Duration.ofDays(365);
    private static final Pattern MAX_MEMORY = Pattern.compile("^[0-9]{1,6}(kb|mb|gb)$");

    private SpecProblems() {
    }

    public static List<String> of(String name, TrackerClusterSpec spec) {
        List<String> p = new ArrayList<>();
        if (name.length() > MAX_NAME_LENGTH) {
            p.add("metadata.name must have at most " + MAX_NAME_LENGTH + " characters");
        }
        if (spec == null) {
            p.add("spec is missing");
            return p;
        }
        range(p, "spec.shards", spec.shards, 1, 1024);
        range(p, "spec.replicasPerShard", spec.replicasPerShard, 1, 100);
        if (spec.image == null || spec.image.isBlank()) {
            p.add("spec.image must not be empty");
        }
        if (spec.imagePullPolicy == null) {
            p.add("spec.imagePullPolicy must be Always, IfNotPresent or Never");
        }
        announce(p, spec.announce);
        redis(p, spec.redis);
        ingress(p, spec.ingress);
        accessList(p, spec.accessList);
        if (spec.trustedProxies == null || spec.trustedProxies.isEmpty()) {
            p.add("spec.trustedProxies must list the pod network CIDRs");
        } else {
            for (String cidr : spec.trustedProxies) {
                if (!Cidr.isValid(cidr)) {
                    p.add("spec.trustedProxies: " + quote(cidr) + " is not a CIDR such as 10.0.0.0/8");
                }
            }
        }
        return p;
    }

    private static void announce(List<String> p, AnnounceSpec a) {
        if (a == null) {
            p.add("spec.announce is missing");
            return;
        }
        Duration interval = duration(p, "spec.announce.interval", a.interval);
        Duration min = duration(p, "spec.announce.minInterval", a.minInterval);
        Duration ttl = duration(p, "spec.announce.peerTtl", a.peerTtl);
        if (interval != null && min != null && min.compareTo(interval) > 0) {
            p.add("spec.announce.minInterval (" + a.minInterval + ") must not exceed interval (" + a.interval + ")");
        }
        if (interval != null && ttl != null && ttl.compareTo(interval) <= 0) {
            p.add("spec.announce.peerTtl (" + a.peerTtl + ") must be longer than interval (" + a.interval
                    + "), or peers expire between their announces");
        }
        range(p, "spec.announce.numwantDefault", a.numwantDefault, 0, 2000);
        range(p, "spec.announce.numwantMax", a.numwantMax, 1, 2000);
        if (a.numwantDefault > a.numwantMax) {
            p.add("spec.announce.numwantDefault must not exceed numwantMax");
        }
    }

    private static void redis(List<String> p, RedisSpec r) {
        if (r == null) {
            p.add("spec.redis is missing");
            return;
        }
        if (r.mode == RedisMode.External && (r.url == null || !REDIS_URL.matcher(r.url).matches())) {
            p.add("spec.redis.url must be a redis:// or rediss:// URL when mode is External");
        } else if (r.mode == RedisMode.External && !redisUrlTheShardsRead(r.url)) {
            p.add("spec.redis.url must name a host and at most a database number, e.g. redis://redis-{shard}:6379/0");
        }
        if (r.mode != RedisMode.External && r.url != null) {
            p.add("spec.redis.url is only for mode External; remove it or set mode: External");
        }
        if (r.maxMemory == null || !MAX_MEMORY.matcher(r.maxMemory).matches()) {
            p.add("spec.redis.maxMemory must look like 256mb or 2gb");
        }
        if (r.mode == RedisMode.Managed && (r.image == null || r.image.isBlank())) {
            p.add("spec.redis.image must not be empty");
        }
    }

    private static void ingress(List<String> p, IngressSpec i) {
        if (i == null) {
            p.add("spec.ingress is missing");
            return;
        }
        range(p, "spec.ingress.replicas", i.replicas, 1, 100);
        range(p, "spec.ingress.port", i.port, 1, 65535);
        if (i.serviceType == null) {
            p.add("spec.ingress.serviceType must be ClusterIP, NodePort or LoadBalancer");
        } else if (i.serviceType == ServiceType.ClusterIP && i.externalTrafficPolicy != null) {
            p.add("spec.ingress.externalTrafficPolicy applies only to serviceType NodePort or LoadBalancer");
        }
    }

    private static void accessList(List<String> p, AccessListSpec a) {
        if (a == null) {
            return;
        }
        List<String> hashes = a.infohashes == null ? List.of() : a.infohashes;
        if (a.mode == AccessMode.Allow && hashes.isEmpty()) {
            p.add("spec.accessList: an Allow list needs at least one infohash (an empty one would refuse every torrent)");
        }
        if (hashes.size() > AccessListSpec.MAX_INFOHASHES) {
            p.add("spec.accessList.infohashes has more than " + AccessListSpec.MAX_INFOHASHES + " entries");
        }
        for (String h : hashes) {
            if (h == null || !HEX40.matcher(h).matches()) {
                p.add("spec.accessList.infohashes: " + quote(h) + " is not 40 hex digits");
                break;
            }
        }
    }

    private static void range(List<String> p, String field, int value, int min, int max) {
        if (value < min || value > max) {
            p.add(field + " must be " + min + ".." + max + ", not " + value);
        }
    }

    /** Parses a duration as the tracker's flags read it; null (and a problem) when it cannot. */
    static Duration duration(List<String> p, String field, String text) {
        var m = text == null ? null : DURATION.matcher(text);
        if (m == null || !m.matches()) {
            p.add(field + " must be a number with an optional unit ms, s, m, h or d, not " + quote(text));
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
        // The tracker refuses zero and anything past a year (its time arithmetic stays far from overflow).
        if (d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            p.add(field + " must be more than 0 and at most 365d, not " + quote(text));
            return null;
        }
        return d;
    }

    /** As the shard reads {@code --redis}: a host, and no path but a database number. */
    private static boolean redisUrlTheShardsRead(String url) {
        try {
            URI uri = new URI(url.replace("{shard}", "0"));
            String path = uri.getPath();
            return uri.getHost() != null && (path == null || path.isEmpty() || REDIS_DB_PATH.matcher(path).matches());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "\"";
    }
}
