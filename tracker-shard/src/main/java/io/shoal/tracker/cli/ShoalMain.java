package io.shoal.tracker.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of the data-plane jar: {@code shoal <command>}. */
@Command(name = "shoal",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Shoal BitTorrent tracker.",
        footer = "%nEvery option can also be set with an environment variable SHOAL_<OPTION_NAME>, "
                + "e.g. SHOAL_PORT=6969 for --port.")
public final class ShoalMain implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The full command tree, with option defaults read from {@code env}. */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new ShoalMain());
        cl.addSubcommand("shard", new ShardCommand(env));
        cl.addSubcommand("loadgen", new io.shoal.tracker.loadgen.LoadgenCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Registered after the subcommands so that it reaches all of them.
        cl.setDefaultValueProvider(new EnvDefaultProvider(env));
        return cl;
    }

    @Override
    public Integer call() {
        // No subcommand: say what there is and fail like any other usage error.
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
