package io.shoal.tracker.cli;

import io.shoal.routing.SlotMap;
import io.shoal.routing.Slots;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How the routing commands that make a document check its shard count and print it. */
final class RoutingOutput {

    @Option(names = "--compact", description = "One-line JSON instead of one shard per line.")
    private boolean compact;

    static void requireShardCount(int shards, CommandLine cl) {
        if (shards < 1 || shards > Slots.COUNT) {
            throw new ParameterException(cl, "--shards must be 1.." + Slots.COUNT + ", not " + shards);
        }
    }

    void print(SlotMap map, PrintWriter out) {
        out.print(compact ? map.toJson() + "\n" : map.toPrettyJson());
        out.flush();
    }
}
