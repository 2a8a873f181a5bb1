package io.tokengate.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code config check}'s look at {@code tokengate.properties} as a file, beside what it says: who
 * may read it, and the settings it sets more than once.
 */
final class PropertiesFileCheck {
    /** A key up to its separator ('=', ':' or white space); escaped separators are rare in settings. */
    private static final Pattern PROPERTY_KEY = Pattern.compile("[^=:\\s]+");

    private PropertiesFileCheck() {}

    /** Warns of {@code file} when every user may read it, and of each setting it sets twice (when this user may). */
    static void check(Path file, List<String> warnings) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                warnings.add(
                        file + " is readable by every user of this machine; it may hold passwords" + " (chmod 600 it)");
            }
        }
        if (!Files.isReadable(file)) {
            return; // a problem of the settings, which the loader reports
        }
        settingsSetTwice(Files.readAllLines(file, StandardCharsets.ISO_8859_1))
                .forEach((key, lines) -> warnings.add(file.getFileName() + " sets " + key + " on lines "
                        + lines.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + ": only the last one counts"));
    }

    /**
     * The keys a properties file sets more than once, with the (1-based) lines that set them: a
     * value added at the end of the file overrides one above it without a word.
     */
    static Map<String, List<Integer>> settingsSetTwice(List<String> lines) {
        Map<String, List<Integer>> lineNumbers = new LinkedHashMap<>();
        boolean continued = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            boolean continuation = continued;
            continued = endsWithOddBackslashes(line);
            if (continuation || line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            Matcher key = PROPERTY_KEY.matcher(line);
            if (key.lookingAt()) {
                lineNumbers.computeIfAbsent(key.group(), k -> new ArrayList<>()).add(i + 1);
            }
        }
        lineNumbers.values().removeIf(numbers -> numbers.size() < 2);
        return lineNumbers;
    }

    private static boolean endsWithOddBackslashes(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
