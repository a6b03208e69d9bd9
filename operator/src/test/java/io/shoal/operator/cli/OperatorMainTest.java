package io.shoal.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OperatorMainTest {

    @TempDir
    Path dir;

    @Test
    void settingsThatCannotWorkAreRefusedWithExitCodeTwo() {
        assertThat(OperatorMain.run("--admin-port", "70000")).isEqualTo(2);
        assertThat(OperatorMain.run("--kubeconfig", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(OperatorMain.run("--lease-name", "")).isEqualTo(2);
        assertThat(OperatorMain.run("--no-such-flag")).isEqualTo(2);
    }

    @Test
    void namespacesAreACommaSeparatedListAndLeaderElectionCanBeTurnedOff() {
        OperatorMain main = new OperatorMain();
        new CommandLine(main).parseArgs("--namespaces", "a, b,,a", "--no-leader-election");
        assertThat(main.watchedNamespaces()).containsExactly("a", "b");
        assertThat(main.election()).isNull();

        OperatorMain defaults = new OperatorMain();
        new CommandLine(defaults).parseArgs("--lease-namespace", "ops");
        assertThat(defaults.watchedNamespaces()).as("all namespaces").isEmpty();
        assertThat(defaults.election()).isEqualTo(new OperatorProcess.Election("shoal-operator", "ops"));
        assertThat(defaults.adminPort).isEqualTo(8080);
    }
}
