package io.shoal.tracker.cli;

/** Entry point of the data-plane jar; subcommands are added as they land. */
public final class ShoalMain {
    private ShoalMain() {
    }

    public static void main(String[] args) {
        System.err.println("shoal: no command yet");
        System.exit(2);
    }
}
