package io.tokengate.server.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the configuration loader refuses, for tests of settings that must stop a start. */
public final class ConfigProblems {
    private ConfigProblems() {}

    /**
     * The problems of the home's configuration with {@code settings} given as flags, read as
     * {@code serve} reads it (keystores opened), with an upstream unless {@code settings} name one.
     *
     * @throws AssertionError if the configuration is accepted
     */
    public static List<String> of(Path home, Map<String, String> settings) {
        Map<String, String> serving = new HashMap<>(settings);
        serving.putIfAbsent("upstream.url", "https://jira.example.com");
        try {
            ConfigLoader.load(home, Map.of(), serving, true);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("the configuration was accepted");
    }
}
