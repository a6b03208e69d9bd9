package io.shoal.tracker.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** The {@code shoal} command tree as the command tests drive it: an environment map in, output captured. */
final class TestCli {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = ShoalMain.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    /** Parses {@code <command> <args>} (converters run, the command does not) and returns the command object. */
    <T> T parsed(Map<String, String> env, String command, String... args) {
        CommandLine cl = commandLine(env);
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        cl.parseArgs(all);
        return cl.getSubcommands().get(command).getCommand();
    }
}
