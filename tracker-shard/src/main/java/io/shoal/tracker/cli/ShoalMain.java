package io.shoal.tracker.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.Spec;

/** Entry point of the data-plane jar: {@code shoal <command>}. */
@Command(name = "shoal",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Shoal BitTorrent tracker.",
        footer = "%nEvery option of 'shard' and 'ingress' can also be set with an environment variable SHOAL_<OPTION_NAME>, "
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
        cl.addSubcommand("ingress", new IngressCommand(env));
        cl.addSubcommand("loadgen", new io.shoal.tracker.loadgen.LoadgenCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Only the tracker reads SHOAL_* variables: a load generator started in the same environment as a
        // shard must not pick up the shard's port or numwant as its own.
        cl.getSubcommands().get("shard").setDefaultValueProvider(new EnvDefaultProvider(env));
        cl.getSubcommands().get("ingress").setDefaultValueProvider(new EnvDefaultProvider(env));
        cl.setParameterExceptionHandler(ShoalMain::shortUsageError);
        return cl;
    }

    /** A usage error prints what is wrong and where help is, not the whole help text. */
    private static int shortUsageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText(ex.getMessage()));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public Integer call() {
        // No subcommand: say what there is and fail like any other usage error.
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
