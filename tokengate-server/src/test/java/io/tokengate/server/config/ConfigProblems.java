package io.tokengate.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the configuration loader refuses, for tests of settings that must stop a start. */
public final class ConfigProblems {
    private ConfigProblems() {}

    /**
     * The problems of the home's configuration with {@code settings} given as flags.
     *
     * @throws AssertionError if the configuration is accepted
     */
    public static List<String> of(Path home, Map<String, String> settings) {
        try {
            ConfigLoader.load(home, Map.of(), settings, false);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("the configuration was accepted");
    }
}
