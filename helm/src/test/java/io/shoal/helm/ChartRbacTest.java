package io.shoal.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart grants exactly what operator/README.md says the operator uses, cluster-wide or per namespace. */
class ChartRbacTest {

    private static final String LEASES = "coordination.k8s.io";
    private static final Set<String> README = RbacTable.grants();
    private static final Set<String> RECONCILING = RbacTable.reconciling();
    private static final Set<String> LEADER_ELECTION = RbacTable.leaderElectionOnly();

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static void assertBoundToOperator(Subject subject, RenderedChart chart) {
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo(chart.one(ServiceAccount.class).getMetadata().getName());
        assertThat(subject.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
    }

    @Test
    void theReadmeTableIsRead() {
        assertThat(README).contains("tracker.shoal.io trackerclusters watch", "core events create",
                "coordination.k8s.io leases update");
        assertThat(LEADER_ELECTION).contains("coordination.k8s.io leases create")
                .doesNotContain("tracker.shoal.io trackerclusters watch");
        assertThat(RECONCILING).contains("tracker.shoal.io trackerclusters watch")
                .noneMatch(g -> g.startsWith(LEASES));
    }

    @Test
    void clusterRoleAndLeaseRoleTogetherGrantExactlyTheReadmeTable() {
        RenderedChart chart = RenderedChart.defaults();
        ClusterRole role = chart.one(ClusterRole.class);
        Role leases = chart.one(Role.class);

        assertThat(union(RbacTable.grants(role.getRules()), RbacTable.grants(leases.getRules()))).isEqualTo(README);
        assertThat(RbacTable.grants(leases.getRules())).allMatch(g -> g.startsWith(LEASES + " "));
        // Leases only in the operator's namespace, never cluster-wide.
        assertThat(RbacTable.grants(role.getRules())).noneMatch(g -> g.startsWith(LEASES + " "));

        ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertBoundToOperator(s, chart));
    }

    @Test
    void leaderElectionGetsLeasesInTheOperatorsNamespaceOnly() {
        RenderedChart chart = RenderedChart.defaults();
        Role leases = chart.one(Role.class);

        assertThat(leases.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
        assertThat(RbacTable.grants(leases.getRules())).isEqualTo(RbacTable.inGroup(README, LEASES, true));
        RoleBinding binding = chart.one(RoleBinding.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(leases.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertBoundToOperator(s, chart));

        RenderedChart without = RenderedChart.render(Map.of("leaderElection.enabled", false));
        assertThat(without.all(Role.class)).isEmpty();
        assertThat(without.all(RoleBinding.class)).isEmpty();
        // Without leader election the operator needs none of the leader-election rows.
        assertThat(RbacTable.grants(without.one(ClusterRole.class).getRules())).isEqualTo(RECONCILING);
    }

    @Test
    void watchedNamespacesGetARoleEachAndNothingClusterWide() {
        RenderedChart chart = RenderedChart.render(Map.of("watchNamespaces", List.of("team-a", "team-b", "team-a")));

        assertThat(chart.all(ClusterRole.class)).isEmpty();
        assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
        Map<String, Role> roles = chart.all(Role.class).stream()
                .filter(r -> r.getRules().stream().noneMatch(rule -> rule.getApiGroups().contains(LEASES)))
                .collect(Collectors.toMap(r -> r.getMetadata().getNamespace(), r -> r));
        assertThat(roles).containsOnlyKeys("team-a", "team-b");
        // selfsubjectrulesreviews is cluster-scoped, so no Role can grant it: a namespaced install relies on
        // Kubernetes' default system:basic-user grant (values.yaml says so) and creates nothing cluster-wide.
        roles.values().forEach(role ->
                assertThat(RbacTable.grants(role.getRules())).isEqualTo(RECONCILING));

        for (String namespace : roles.keySet()) {
            RoleBinding binding = chart.all(RoleBinding.class).stream()
                    .filter(b -> namespace.equals(b.getMetadata().getNamespace())).findFirst().orElseThrow();
            assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(binding.getRoleRef().getName()).isEqualTo(roles.get(namespace).getMetadata().getName());
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertBoundToOperator(s, chart));
        }
    }
}
