package io.shoal.operator.resources;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Map;

/** Pieces every pod the operator makes shares: hardening, probes, the key mount, resources. */
public final class PodParts {

    /** The tracker image runs as this user; it needs no privileges and writes only to /tmp. */
    public static final long TRACKER_UID = 65532;
    /** The uid the official Redis image's redis user has. */
    public static final long REDIS_UID = 999;
    public static final String KEY_DIR = "/etc/shoal/connection-id";
    public static final String KEY_FILE = KEY_DIR + "/" + Names.CONNECTION_ID_KEY;
    public static final String ACCESS_LIST_DIR = "/etc/shoal/access-list";
    public static final String ACCESS_LIST_FILE = ACCESS_LIST_DIR + "/" + Names.ACCESS_LIST_KEY;
    public static final String ADMIN_PORT_NAME = "admin";

    private PodParts() {
    }

    /** Pod template annotation that changes with the connection-id key, so that a new key rolls the pods. */
    public static final String KEY_DIGEST_ANNOTATION = "tracker.shoal.io/connection-id-key-digest";

    /** A short digest of the key: enough to notice a change, useless to recover the key. */
    public static String keyDigest(String keyHex) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(keyHex.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Pod template annotations: the key digest when known. */
    public static Map<String, String> podAnnotations(String keyDigest) {
        return keyDigest == null ? null : Map.of(KEY_DIGEST_ANNOTATION, keyDigest);
    }

    public static PodSecurityContext podSecurity(long uid) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(uid)
                .withRunAsGroup(uid)
                .withFsGroup(uid)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    public static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    /** An emptyDir for /tmp: the root filesystem is read-only, the JVM still wants a temp dir. */
    public static Volume tmpVolume() {
        return new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir()
                .build();
    }

    public static VolumeMount tmpMount() {
        return new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build();
    }

    public static Volume connectionIdVolume(String cluster) {
        return new VolumeBuilder().withName("connection-id")
                .withNewSecret()
                .withSecretName(Names.connectionIdSecret(cluster))
                .withDefaultMode(0440)
                .endSecret()
                .build();
    }

    public static VolumeMount connectionIdMount() {
        return new VolumeMountBuilder().withName("connection-id").withMountPath(KEY_DIR).withReadOnly(true).build();
    }

    public static Probe liveness() {
        return new ProbeBuilder()
                .withNewHttpGet().withPath("/healthz").withPort(new IntOrString(ADMIN_PORT_NAME)).endHttpGet()
                .withInitialDelaySeconds(10).withPeriodSeconds(10).withTimeoutSeconds(2).withFailureThreshold(3)
                .build();
    }

    public static Probe readiness() {
        return new ProbeBuilder()
                .withNewHttpGet().withPath("/readyz").withPort(new IntOrString(ADMIN_PORT_NAME)).endHttpGet()
                .withInitialDelaySeconds(2).withPeriodSeconds(5).withTimeoutSeconds(2).withFailureThreshold(2)
                .build();
    }

    /** Replicas spread over nodes where the scheduler can, so that one node going away takes few of them. */
    public static TopologySpreadConstraint spreadOverNodes(Map<String, String> selector) {
        return new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(selector).endLabelSelector()
                .build();
    }

    /** At most one of the selected pods down at a time for voluntary disruptions (node drains, upgrades). */
    public static PodDisruptionBudget oneAtATime(HasMetadata owner, String name, Map<String, String> selector) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Owners.meta(owner, name, Labels.all(selector)))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(selector).endSelector()
                .endSpec()
                .build();
    }

    public static ContainerPort port(String name, int port, String protocol) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol(protocol).build();
    }

    /** The user's resources, or requests that let the scheduler place the pod sensibly. */
    public static ResourceRequirements resourcesOr(ResourceRequirements given, String cpu, String memory) {
        if (given != null && ((given.getRequests() != null && !given.getRequests().isEmpty())
                || (given.getLimits() != null && !given.getLimits().isEmpty()))) {
            return given;
        }
        return new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                .build();
    }
}
