package io.shoal.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end within a time bound, its output (stdout and stderr together) kept in a file. */
final class ExternalProcess {
    private ExternalProcess() {
    }

    record Outcome(int exitCode, String output) {
        /** The last line that looks like a JSON object: what the tools print as their summary. */
        String lastJsonLine() {
            String[] lines = output.split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith("{")) {
                    return lines[i];
                }
            }
            throw new AssertionError("no JSON summary in output:\n" + output);
        }
    }

    static Outcome run(List<String> command, Path log, Duration limit) throws IOException, InterruptedException {
        return start(command, log).await(limit);
    }

    /** Starts a command that runs while the test does other things; {@link Running#await} collects it. */
    static Running start(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new Running(command, process, log);
    }

    record Running(List<String> command, Process process, Path log) {
        boolean isAlive() {
            return process.isAlive();
        }

        /** Waits for the end within {@code limit}; a process still running then is killed and fails the test. */
        Outcome await(Duration limit) throws IOException, InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("still running after " + limit + ": " + command + "\n" + Files.readString(log));
            }
            return new Outcome(process.exitValue(), Files.readString(log));
        }
    }
}
