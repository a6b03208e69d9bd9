package io.shoal.helm;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's RBAC as its README states it (the table under "RBAC the operator needs"), flattened to
 * {@code group resource verb} grants, so that the chart's rules can be compared with it in any grouping.
 */
final class RbacTable {

    /** One table row: | `group` | `resource`, `resource` | verb, verb (note) | */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]*)`[^|]*\\|([^|]+)\\|([^|]+)\\|\\s*$");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    private RbacTable() {
    }

    static Path readme() {
        return Repo.root().resolve("operator/README.md");
    }

    /** Every grant of the table. */
    static Set<String> grants() {
        return grants(false);
    }

    /** The grants of rows marked "(leader election only …)". */
    static Set<String> leaderElectionOnly() {
        return grants(true);
    }

    /** The grants every reconciling operator needs, leader or not. */
    static Set<String> reconciling() {
        Set<String> always = new TreeSet<>(grants());
        always.removeAll(leaderElectionOnly());
        return always;
    }

    private static Set<String> grants(boolean onlyLeaderElection) {
        Set<String> grants = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(readme())) {
                Matcher row = ROW.matcher(line.trim());
                if (!row.matches()) {
                    continue;
                }
                if (onlyLeaderElection && !row.group(3).contains("leader election only")) {
                    continue;
                }
                String group = row.group(1).replace("\"", "");
                List<String> resources = new ArrayList<>();
                Matcher ticked = TICKED.matcher(row.group(2));
                while (ticked.find()) {
                    resources.add(ticked.group(1));
                }
                String verbs = row.group(3).replaceAll("\\(.*\\)", "");
                for (String resource : resources) {
                    for (String verb : verbs.split(",")) {
                        grants.add(grant(group, resource, verb.trim()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (grants.isEmpty()) {
            throw new IllegalStateException("no RBAC table found in " + readme());
        }
        return grants;
    }

    /** The grants of the table that concern {@code group}, or all others. */
    static Set<String> inGroup(Set<String> grants, String group, boolean include) {
        Set<String> selected = new TreeSet<>();
        for (String g : grants) {
            if (g.startsWith(group + " ") == include) {
                selected.add(g);
            }
        }
        return selected;
    }

    /** The grants of RBAC rules, flattened the same way. */
    static Set<String> grants(Collection<PolicyRule> rules) {
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : rules) {
            if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()
                    || rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
                throw new AssertionError("unexpected rule shape: " + rule);
            }
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(grant(group, resource, verb));
                    }
                }
            }
        }
        return grants;
    }

    private static String grant(String group, String resource, String verb) {
        return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
    }
}
