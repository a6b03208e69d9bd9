package io.shoal.tracker.cli;

import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code shoal routing}: makes and checks routing documents (slot maps) for shards run without Kubernetes.
 * The documents are what {@code ingress --routing FILE} reads.
 */
@Command(name = "routing",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Makes, rebalances and checks routing documents: which shard owns which infohash slots "
                + "and where each shard's internal port is.",
        subcommands = {RoutingInitCommand.class, RoutingRebalanceCommand.class, RoutingShowCommand.class},
        footer = {"%nExamples:",
                "  routing init --shards 3 --endpoint-template 'shoal-shard-%d:6970' > routing.json",
                "  routing rebalance --shards 4 --endpoint shoal-shard-3:6970 --from routing.json > next.json",
                "  routing show next.json",
                "Exit codes: 0 done, 2 bad arguments or an invalid document."})
public final class RoutingCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private InputStream stdin = System.in;

    /** Where {@code --from -} reads; replaceable so that tests need not touch {@code System.in}. */
    InputStream stdin() {
        return stdin;
    }

    void stdin(InputStream in) {
        this.stdin = in;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
