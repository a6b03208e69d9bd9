package io.shoal.tracker.loadgen;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code loadgen} command in-process, as its command line would, and keeps what it printed. */
record LoadgenRun(int code, LoadReport report, String output) {

    static LoadgenRun of(String... args) {
        LoadgenCommand command = new LoadgenCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int code = cli.execute(args);
        return new LoadgenRun(code, command.report(), out.toString());
    }
}
