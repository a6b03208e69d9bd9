package io.shoal.tracker.cli;

import io.shoal.routing.SlotMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code routing init}: the routing document of a new cluster, slots split evenly in contiguous blocks. */
@Command(name = "init",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Prints a balanced routing document (epoch 1) for N shards on standard output.")
public final class RoutingInitCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--shards", required = true, paramLabel = "N", description = "Number of shards, 1..65536.")
    private int shards;

    @Option(names = "--endpoint", split = ",", paramLabel = "HOST:PORT",
            description = "Internal address of each shard, in shard order (repeat or separate with commas; "
                    + "IPv6 as [::1]:6970). Exactly N of them.")
    private List<String> endpoints;

    @Option(names = "--endpoint-template", paramLabel = "TEMPLATE",
            description = "Endpoint of shard k with %%d replaced by k, e.g. 'shoal-shard-%%d:6970'.")
    private String template;

    @Mixin
    private RoutingOutput output = new RoutingOutput();

    @Override
    public Integer call() {
        RoutingOutput.requireShardCount(shards, spec.commandLine());
        SlotMap map;
        try {
            map = SlotMap.even(shards, new RoutingEndpoints(endpoints, template).forShards(0, shards));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        output.print(map, spec.commandLine().getOut());
        if (!map.shardsWithoutEndpoint().isEmpty()) {
            spec.commandLine().getErr().println("note: no endpoints given; an ingress needs one per shard "
                    + "(--endpoint or --endpoint-template)");
        }
        return 0;
    }
}
