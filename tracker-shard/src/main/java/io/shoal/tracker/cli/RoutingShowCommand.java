package io.shoal.tracker.cli;

import io.shoal.routing.SlotMap;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code routing show}: validates a routing document and says what it assigns. */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Validates a routing document and summarises it: epoch, and per shard its slots, ranges and "
                + "endpoint. Exit 0 when valid, 2 with one line saying what is wrong otherwise.")
public final class RoutingShowCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private RoutingCommand parent;

    @Parameters(paramLabel = "FILE", defaultValue = "-", description = "Routing document; - is standard input (default).")
    private String file;

    @Override
    public Integer call() {
        SlotMap map;
        try {
            map = RoutingDocuments.read(file, parent.stdin());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("routing show: " + e.getMessage());
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        RoutingReport.summary(map).forEach(out::println);
        out.flush();
        return 0;
    }
}
