package io.tokengate.server.config;

import io.tokengate.core.DidYouMean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Raw settings merged from their sources, lowest precedence first: built-in defaults, {@code
 * tokengate.properties} in the home directory, environment variables {@code TOKENGATE_<KEY>} (dots
 * as underscores, upper case), then command-line flags. Every key is declared in {@link Key};
 * an unknown key in the file is a problem (with a suggestion), an unknown environment variable is
 * not (the environment holds other things too), but one named {@code TOKENGATE_…} is warned about
 * ({@link #unknownVariables}).
 */
public final class Settings {
    /** The {@link #source} of a value given as a command-line flag. */
    public static final String COMMAND_LINE = "command line";

    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final List<String> problems;
    private final Set<Key> misspelt;

    private Settings(
            Map<String, String> values, Map<String, String> sources, List<String> problems, Set<Key> misspelt) {
        this.values = values;
        this.sources = sources;
        this.problems = problems;
        this.misspelt = misspelt;
    }

    /**
     * @param file the properties file's entries (empty when there is none)
     * @param fileName how to name the file in messages
     * @param environment the process environment
     * @param flags values given on the command line, by key
     */
    public static Settings merge(
            Map<String, String> file, String fileName, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Set<Key> misspelt = EnumSet.noneOf(Key.class);
        for (Map.Entry<String, String> entry : file.entrySet()) {
            String key = entry.getKey().strip();
            if (Key.find(key).isEmpty()) {
                Optional<String> suggestion = suggestion(key);
                problems.add(fileName + ": unknown setting '" + key + "'"
                        + suggestion.map(s -> " (did you mean " + s + "?)").orElse(""));
                suggestion.flatMap(Key::find).ifPresent(misspelt::add);
                continue;
            }
            values.put(key, entry.getValue().strip());
            sources.put(key, fileName);
        }
        for (Key key : Key.values()) {
            String variable = key.environmentVariable();
            String value = environment.get(variable);
            if (value != null) {
                values.put(key.key(), value.strip());
                sources.put(key.key(), "environment variable " + variable);
            }
        }
        for (Map.Entry<String, String> entry : flags.entrySet()) {
            if (entry.getValue() != null) {
                values.put(entry.getKey(), entry.getValue());
                sources.put(entry.getKey(), COMMAND_LINE);
            }
        }
        misspelt.removeIf(key -> values.containsKey(key.key())); // set as well: the unknown key is a leftover
        return new Settings(values, sources, problems, misspelt);
    }

    /** The value set for {@code key}, if any (defaults are not applied here). */
    public Optional<String> get(Key key) {
        String value = values.get(key.key());
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** Where the value of {@code key} came from, for messages. */
    public String source(Key key) {
        return sources.getOrDefault(key.key(), "default");
    }

    /**
     * The setting a misspelt key most likely means: the closest by spelling, else the one it
     * begins ({@code audit.retention} for {@code audit.retention.days}).
     */
    private static Optional<String> suggestion(String key) {
        Optional<String> close = DidYouMean.closest(key, Key.names());
        if (close.isPresent()) {
            return close;
        }
        List<String> longer = Key.names().stream()
                .filter(name -> name.startsWith(key.toLowerCase(Locale.ROOT) + "."))
                .toList();
        return longer.size() == 1 ? Optional.of(longer.get(0)) : Optional.empty();
    }

    /** Problems found while merging (unknown keys). */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /**
     * The settings, not set, that unknown keys in the file most likely meant (by {@link #problems}'
     * "did you mean"): their defaults are probably not what was intended.
     */
    Set<Key> misspelt() {
        return Collections.unmodifiableSet(misspelt);
    }

    /** Every setting's value (its default when not set) and source, in {@link Key} order. */
    public List<EffectiveSetting> effective() {
        List<EffectiveSetting> all = new ArrayList<>();
        for (Key key : Key.values()) {
            all.add(new EffectiveSetting(key, get(key).orElse(key.defaultValue()), source(key)));
        }
        return all;
    }

    /**
     * Variables tokengate reads that are not settings: the home, the command line's server,
     * credentials and trusted certificate, the log level, the launcher's JVM options, and those
     * of its tests and benchmarks.
     */
    static final Set<String> OTHER_VARIABLES = Set.of(
            "TOKENGATE_HOME",
            "TOKENGATE_SERVER",
            "TOKENGATE_ADMIN_USER",
            "TOKENGATE_ADMIN_PASSWORD",
            "TOKENGATE_CACERT",
            "TOKENGATE_LOG_LEVEL",
            "TOKENGATE_JAVA_OPTS",
            // the project's own tests and benchmarks, which run where tokengate does
            "TOKENGATE_TEST_PG_URL",
            "TOKENGATE_BENCH_PG_URL");

    /**
     * A warning for each variable in {@code environment} named like tokengate's and read by none
     * of it, with the closest name when there is one: a misspelt setting would otherwise leave its
     * default in force without a word. (Warnings, not problems: the environment is not ours.)
     */
    public static List<String> unknownVariables(Map<String, String> environment) {
        Set<String> known = new TreeSet<>(OTHER_VARIABLES);
        for (Key key : Key.values()) {
            known.add(key.environmentVariable());
        }
        List<String> warnings = new ArrayList<>();
        for (String name : new TreeSet<>(environment.keySet())) {
            if (name.startsWith("TOKENGATE_") && !known.contains(name)) {
                warnings.add("environment variable " + name + " is not one tokengate reads"
                        + DidYouMean.closest(name, known)
                                .map(s -> " (did you mean " + s + "?)")
                                .orElse(""));
            }
        }
        return warnings;
    }

    static String environmentVariable(String key) {
        return "TOKENGATE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    @Override
    public String toString() {
        return "Settings" + values.keySet(); // values may hold passwords
    }
}
