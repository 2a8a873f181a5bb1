package io.tokengate.server.config;

import io.tokengate.core.token.IpAllowList;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The merged settings read as values: each converted and checked against what its key takes. A
 * value that does not fit is a problem, noted in the loader's list with the key, the value and
 * where it came from, and the key's default stands in for it, so that loading goes on and reports
 * every problem at once. The key is noted as {@linkplain #failed failed}: {@code config check}
 * then skips the checks that would have looked at its default instead of the value meant.
 */
final class ConfigValues {
    private final Settings settings;
    private final List<String> problems;
    private final Set<Key> failed = EnumSet.noneOf(Key.class);

    /** Reads {@code settings}, noting problems in {@code problems}, the loader's list. */
    ConfigValues(Settings settings, List<String> problems) {
        this.settings = settings;
        this.problems = problems;
        failed.addAll(settings.misspelt());
    }

    /** The value set for {@code key}, if any: no default. */
    Optional<String> get(Key key) {
        return settings.get(key);
    }

    /** Where the value of {@code key} came from ({@link Settings#COMMAND_LINE}, say). */
    String source(Key key) {
        return settings.source(key);
    }

    /** A problem of no one setting's value (two settings that clash, a file the home holds). */
    void problem(String problem) {
        problems.add(problem);
    }

    /** A problem with the value of {@code key}, which is then not used as given. */
    void problem(Key key, String problem) {
        problems.add(problem);
        failed.add(key);
    }

    /** The keys whose values had a problem so far, and those a misspelt key in the file most likely meant. */
    Set<Key> failed() {
        return Collections.unmodifiableSet(failed);
    }

    String value(Key key) {
        return settings.get(key).orElse(key.defaultValue());
    }

    long integer(Key key, long min, long max) {
        String text = value(key);
        BigInteger value;
        try {
            value = new BigInteger(text.replace("_", "")); // of any size: too big for a long is outside, too
        } catch (NumberFormatException e) {
            problem(key, key.key() + ": '" + text + "' is not a whole number (from " + settings.source(key) + ")");
            return Long.parseLong(key.defaultValue());
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            problem(
                    key,
                    key.key() + ": " + value + " is outside " + min + ".." + max + " (from " + settings.source(key)
                            + ")");
            return Long.parseLong(key.defaultValue());
        }
        return value.longValue();
    }

    int port(Key key) {
        return (int) integer(key, 0, 65_535);
    }

    boolean bool(Key key) {
        String text = value(key).toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            problem(key, key.key() + ": '" + text + "' is neither true nor false (from " + settings.source(key) + ")");
            return false;
        }
        return Boolean.parseBoolean(text);
    }

    String host(Key key) {
        String host = value(key);
        if (!host.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            problem(key, key.key() + ": '" + host + "' is not a host name or address");
        }
        return host;
    }

    Set<String> list(Key key, Function<String, String> normalize) {
        Set<String> items = new LinkedHashSet<>();
        Arrays.stream(value(key).split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(normalize)
                .forEach(items::add);
        return items;
    }

    IpAllowList ipList(Key key) {
        try {
            return IpAllowList.parse(value(key));
        } catch (IllegalArgumentException e) {
            problem(key, key.key() + ": " + e.getMessage());
            return IpAllowList.any();
        }
    }

    /** A list of path prefixes, each starting with {@code /} and without {@code ..} or {@code //}. */
    List<String> pathPrefixes(Key key, String example) {
        List<String> prefixes = new ArrayList<>(list(key, Function.identity()));
        for (String prefix : prefixes) {
            if (!prefix.startsWith("/") || prefix.contains("..") || prefix.contains("//")) {
                problem(key, key.key() + ": '" + prefix + "' is not a path prefix like " + example);
            }
        }
        return prefixes;
    }
}
