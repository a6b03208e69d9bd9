package io.shoal.tracker.cli;

import io.shoal.routing.Rebalancer;
import io.shoal.routing.SlotMap;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code routing rebalance}: the next routing document for a new shard count, moving the fewest slots. The map
 * goes to standard output, the account of what moves to standard error, so that the output can be redirected
 * straight into the new file.
 */
@Command(name = "rebalance",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Reads a routing document and prints the next one (epoch + 1) for M shards. Surviving "
                + "shards keep their endpoints and as many of their slots as an even share allows; only the excess "
                + "and the slots of removed shards move.",
                "Standard error says how many slots move and from which shard to which."})
public final class RoutingRebalanceCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private RoutingCommand parent;

    @Option(names = "--shards", required = true, paramLabel = "M", description = "New number of shards, 1..65536.")
    private int shards;

    @Option(names = "--from", paramLabel = "FILE", defaultValue = "-",
            description = "Current routing document; - is standard input (default).")
    private String from;

    @Option(names = "--endpoint", split = ",", paramLabel = "HOST:PORT",
            description = "Internal address of each NEW shard, in shard order (one per shard added).")
    private List<String> endpoints;

    @Option(names = "--endpoint-template", paramLabel = "TEMPLATE",
            description = "Endpoint of new shard k with %%d replaced by k, e.g. 'shoal-shard-%%d:6970'.")
    private String template;

    @Mixin
    private RoutingOutput output = new RoutingOutput();

    @Override
    public Integer call() {
        RoutingOutput.requireShardCount(shards, spec.commandLine());
        RoutingEndpoints given;
        try {
            given = new RoutingEndpoints(endpoints, template);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        SlotMap current;
        try {
            current = RoutingDocuments.read(from, parent.stdin());
        } catch (IllegalArgumentException e) {
            err.println("routing rebalance: " + e.getMessage());
            return 2;
        }
        int added = Math.max(0, shards - current.shardCount());
        IntFunction<String> newEndpoints;
        try {
            if (added > 0 && given.isEmpty() && current.shardsWithoutEndpoint().isEmpty()) {
                throw new IllegalArgumentException("the map has endpoints, so the " + added + " new shard"
                        + (added == 1 ? "" : "s") + " need" + (added == 1 ? "s" : "")
                        + " them too: give --endpoint or --endpoint-template");
            }
            newEndpoints = given.forShards(current.shardCount(), added);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SlotMap next = Rebalancer.rebalance(current, shards, newEndpoints);
        output.print(next, spec.commandLine().getOut());
        RoutingReport.moves(current, next).forEach(err::println);
        err.flush();
        return 0;
    }
}
