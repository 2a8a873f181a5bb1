package io.tokengate.core.limits;

import io.tokengate.core.DidYouMean;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The bracket a rule may open with: a list of HTTP methods ({@code [GET|POST]}), a character class
 * that starts the URL regex, or a mistake that would read as one. The last is the dangerous case: a
 * misspelt or placeholder method list taken as a character class matches one character of the URL
 * and lets every method through, so it is a problem, located in the line.
 */
final class MethodList {
    private MethodList() {}

    /**
     * The methods in {@code line[from, to)}, or null when the bracket is not a method list and so
     * belongs to the URL regex. A list of words with an unknown one is a mistake, not a regex; so
     * are one word of three letters or more that is no method (the original product's template
     * reads {@code [method].*}, which as a character class would match the {@code h} of {@code
     * http} and allow every method), and method names separated by spaces.
     *
     * @throws LimitsParser.Problem for such a mistake, at its index in {@code line}
     */
    static Set<String> read(String line, int from, int to) {
        String content = line.substring(from, to);
        String[] words = content.strip().split("\\s+");
        if (words.length > 1 && Arrays.stream(words).allMatch(MethodCondition::isKnown)) {
            throw new LimitsParser.Problem(
                    from + content.indexOf(words[1]),
                    "HTTP methods are separated by ',' or '|', as in [" + String.join("|", words) + "]");
        }
        String[] names = content.split("[,|]", -1);
        Set<String> methods = new LinkedHashSet<>();
        String unknown = null;
        for (String name : names) {
            String word = name.strip();
            if (word.isEmpty() || !word.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return null;
            }
            if (MethodCondition.isKnown(word)) {
                methods.add(word.toUpperCase(Locale.ROOT));
            } else if (unknown == null) {
                unknown = word;
            }
        }
        if (unknown == null) {
            return methods;
        }
        Optional<String> suggestion = DidYouMean.closest(unknown, MethodCondition.KNOWN);
        if (names.length == 1 && suggestion.isEmpty() && unknown.length() >= 3) {
            throw new LimitsParser.Problem(
                    from,
                    "'[" + unknown + "]' is not an HTTP method: write the methods the token may use, as in [GET] or"
                            + " [GET|POST], or no bracket for any method (a URL regex that starts with a"
                            + " character class is written in a group: ([" + unknown + "]))");
        }
        if (names.length > 1 || suggestion.isPresent()) {
            throw new LimitsParser.Problem(
                    from + content.indexOf(unknown),
                    "unknown HTTP method '" + unknown + "' ("
                            + suggestion
                                    .map(s -> "did you mean " + s + "?")
                                    .orElse("expected one of " + String.join(", ", MethodCondition.KNOWN))
                            + ")");
        }
        return null;
    }
}
