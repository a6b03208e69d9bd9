package io.shoal.tracker.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option {@code --some-flag} takes its default from the environment variable {@code SHOAL_SOME_FLAG}
 * when that is set (containers are configured that way), else from its annotation. The environment is
 * passed in, so tests use a map instead of the process environment.
 */
final class EnvDefaultProvider implements IDefaultValueProvider {
    static final String PREFIX = "SHOAL_";

    private final Map<String, String> env;

    EnvDefaultProvider(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        return env.get(variableFor(option.longestName()));
    }

    /** {@code --max-torrents} -> {@code SHOAL_MAX_TORRENTS}. */
    static String variableFor(String optionName) {
        String bare = optionName.replaceFirst("^-+", "");
        return PREFIX + bare.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
