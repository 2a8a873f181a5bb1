package io.tokengate.server.cli;

import io.tokengate.server.config.ConfigException;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.server.config.LoadedConfig;
import io.tokengate.server.config.TokengateConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options shared by commands that work on a tokengate home directory. Flags override the
 * environment, which overrides {@code tokengate.properties}.
 */
final class HomeOptions {
    static final String DEFAULT_HOME = "tokengate-home";

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description =
                    "Home directory (settings, key file, H2 database); default $TOKENGATE_HOME or ./" + DEFAULT_HOME)
    Path home;

    @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "Database, e.g. jdbc:postgresql://host/db")
    String dbUrl;

    /** The home directory: {@code --home}, else {@code TOKENGATE_HOME} in {@code shell}, else the default. */
    Path home(Shell shell) {
        if (home != null) {
            return home;
        }
        String env = shell.variable("TOKENGATE_HOME");
        return Path.of(env == null || env.isBlank() ? DEFAULT_HOME : env);
    }

    /**
     * The error of a command that found no home where it must not make one; {@code orElse} adds
     * what else it could be given.
     */
    ConfigException missing(Shell shell, String orElse) {
        return new ConfigException(List.of("home directory " + home(shell).toAbsolutePath()
                + " does not exist: name a tokengate home with --home or TOKENGATE_HOME" + orElse));
    }

    Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("db.url", dbUrl);
        return flags;
    }

    /** The configuration of the home, with {@code shell}'s environment; {@code serving}: see {@link ConfigLoader#load}. */
    TokengateConfig load(Shell shell, Map<String, String> moreFlags, boolean serving) {
        return ConfigLoader.load(home(shell), shell.environment(), withFlags(moreFlags), serving);
    }

    /** The configuration of the home as {@code config check} reads it, problems and all ({@link ConfigLoader#read}). */
    LoadedConfig read(Shell shell, Map<String, String> moreFlags) {
        return ConfigLoader.read(home(shell), shell.environment(), withFlags(moreFlags), true);
    }

    private Map<String, String> withFlags(Map<String, String> moreFlags) {
        Map<String, String> flags = flags();
        flags.putAll(moreFlags);
        return flags;
    }
}
