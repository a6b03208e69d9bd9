package io.shoal.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.operator.api.v1alpha1.AccessListSpec;
import io.shoal.operator.api.v1alpha1.AccessMode;
import io.shoal.operator.api.v1alpha1.RedisMode;
import io.shoal.operator.api.v1alpha1.ServiceType;
import io.shoal.operator.api.v1alpha1.TrackerClusterSpec;
import io.shoal.operator.api.v1alpha1.TrafficPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecProblemsTest {

    private final TrackerClusterSpec spec = new TrackerClusterSpec();

    @Test
    void theDefaultsAreValid() {
        assertThat(SpecProblems.of("tr", spec)).isEmpty();
    }

    @Test
    void rangesAreChecked() {
        spec.shards = 0;
        spec.replicasPerShard = 101;
        spec.ingress.port = 70000;
        assertThat(SpecProblems.of("tr", spec)).containsExactly("spec.shards must be 1..1024, not 0",
                "spec.replicasPerShard must be 1..100, not 101", "spec.ingress.port must be 1..65535, not 70000");
    }

    @Test
    void durationsAreComparedAndParsed() {
        spec.announce.minInterval = "2h";
        spec.announce.peerTtl = "10m";
        assertThat(SpecProblems.of("tr", spec)).containsExactly(
                "spec.announce.minInterval (2h) must not exceed interval (30m)",
                "spec.announce.peerTtl (10m) must be longer than interval (30m), or peers expire between their announces");
        spec.announce.minInterval = "0s";
        spec.announce.peerTtl = "30m";
        assertThat(SpecProblems.of("tr", spec)).containsExactly(
                "spec.announce.minInterval must be more than 0 and at most 365d, not \"0s\"",
                "spec.announce.peerTtl (30m) must be longer than interval (30m), or peers expire between their announces");
        spec.announce.minInterval = "15 minutes";
        spec.announce.peerTtl = "1d";
        assertThat(SpecProblems.of("tr", spec)).containsExactly(
                "spec.announce.minInterval must be a number with an optional unit ms, s, m, h or d, not \"15 minutes\"");
    }

    @Test
    void numwantDefaultAboveMaxIsRefused() {
        spec.announce.numwantDefault = 300;
        assertThat(SpecProblems.of("tr", spec)).containsExactly("spec.announce.numwantDefault must not exceed numwantMax");
    }

    @Test
    void redisModeAndUrlGoTogether() {
        spec.redis.mode = RedisMode.External;
        assertThat(SpecProblems.of("tr", spec)).containsExactly(
                "spec.redis.url must be a redis:// or rediss:// URL when mode is External");
        spec.redis.url = "redis://db:6379";
        assertThat(SpecProblems.of("tr", spec)).isEmpty();
        spec.redis.mode = RedisMode.Managed;
        assertThat(SpecProblems.of("tr", spec)).containsExactly(
                "spec.redis.url is only for mode External; remove it or set mode: External");
    }

    @Test
    void trafficPolicyNeedsAnExternalService() {
        spec.ingress.serviceType = ServiceType.ClusterIP;
        spec.ingress.externalTrafficPolicy = TrafficPolicy.Local;
        assertThat(SpecProblems.of("tr", spec)).containsExactly(
                "spec.ingress.externalTrafficPolicy applies only to serviceType NodePort or LoadBalancer");
    }

    @Test
    void accessListsAreChecked() {
        spec.accessList = new AccessListSpec();
        spec.accessList.mode = AccessMode.Allow;
        assertThat(SpecProblems.of("tr", spec)).singleElement().asString().contains("needs at least one infohash");
        spec.accessList.infohashes = List.of("ab".repeat(20), "not-a-hash");
        assertThat(SpecProblems.of("tr", spec)).containsExactly(
                "spec.accessList.infohashes: \"not-a-hash\" is not 40 hex digits");
    }

    @Test
    void trustedProxiesMustBeCidrs() {
        spec.trustedProxies = List.of("10.0.0.0/8", "fd00::/8", "10.0.0.0", "300.1.1.1/8", "::1/129");
        assertThat(SpecProblems.of("tr", spec)).hasSize(3).allMatch(p -> p.startsWith("spec.trustedProxies: "));
        spec.trustedProxies = List.of();
        assertThat(SpecProblems.of("tr", spec)).containsExactly("spec.trustedProxies must list the pod network CIDRs");
    }

    @Test
    void namesMustLeaveRoomForDerivedNames() {
        assertThat(SpecProblems.of("x".repeat(41), spec)).containsExactly("metadata.name must have at most 40 characters");
    }
}
