package io.tokengate.core.limits;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Random regexes in RE2 syntax, each with a way to produce strings it matches, for differential
 * tests. Mostly the DFA matcher's subset, with the nasty shapes (nested and counted repetition,
 * overlapping alternatives, classes with edge-case members); now and then a construct outside the
 * subset, which must go to RE2/J. The generated text is not always valid RE2; callers skip what
 * {@link Regex#compile} rejects.
 */
final class RandomRegex {
    /** Characters inputs are made of: regex metacharacters, a newline, non-ASCII and surrogates. */
    static final List<String> INPUT_CHARS = List.of(
            "a", "b", "c", "A", "_", "0", "1", "9", "-", "/", ".", " ", "\n", "\t", "]", "[", "\\", "é", "\u00a0", "😀",
            "\ud800", "\udc00", "\u0000", "x", "{", "}");

    private static final String[] LITERALS = {"a", "b", "c", "/", "-", "0", "1", "x", "_", "A"};
    private static final String[] ESCAPES = {
        "\\.", "\\/", "\\-", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\n", "\\t", "\\_", "\\]", "\\[", "\\{", "\\\\"
    };
    private static final String[] CLASSES = {
        "[abc]",
        "[^a-c]",
        "[a-]",
        "[-a]",
        "[]a]",
        "[^]]",
        "[\\d_]",
        "[a\\-z]",
        "[\\]x]",
        "[^\\n]",
        "[^/]",
        "[.]",
        "[\\d-z]",
        "[0-9a-f]",
        "[^\\s]",
        "[\\W]",
        "[^\\D]",
        "[[]",
        "[a-c-e]",
        "[\\n-\\r]"
    };
    /** Outside the subset: RE2/J must answer for regexes containing these. */
    private static final String[] FOREIGN = {
        "(?i)a",
        "\\pL",
        "\\b",
        "é",
        "[[:alpha:]]",
        "a{,3}",
        "a{01}",
        "\\x41",
        "(?P<n>a)",
        "\\Aa",
        "a$b",
        "\\Qa.\\E",
        "(?s:.)",
        "\\v",
        "}",
        "]",
        "x{2"
    };

    private final SplittableRandom random;

    RandomRegex(SplittableRandom random) {
        this.random = random;
    }

    /** A regex and one string it should match (when the regex is in the subset and valid). */
    record Sample(String regex, Example example) {}

    /** Produces strings for a generated regex; only an approximation for constructs outside the subset. */
    interface Example {
        void append(SplittableRandom random, StringBuilder out);
    }

    Sample next() {
        StringBuilder regex = new StringBuilder();
        boolean anchoredStart = random.nextInt(10) == 0;
        boolean anchoredEnd = random.nextInt(10) == 0;
        Example body = alternation(regex, 3);
        String text = (anchoredStart ? "^" : "") + regex + (anchoredEnd ? "$" : "");
        return new Sample(text, body);
    }

    private Example alternation(StringBuilder out, int depth) {
        int count = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
        Example[] alternatives = new Example[count];
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append('|');
            }
            alternatives[i] = concat(out, depth);
        }
        return (r, s) -> alternatives[r.nextInt(count)].append(r, s);
    }

    private Example concat(StringBuilder out, int depth) {
        int count = random.nextInt(5);
        Example[] parts = new Example[count];
        for (int i = 0; i < count; i++) {
            parts[i] = repeat(out, depth);
        }
        return (r, s) -> {
            for (Example part : parts) {
                part.append(r, s);
            }
        };
    }

    private Example repeat(StringBuilder out, int depth) {
        Example atom = atom(out, depth);
        int min;
        int max;
        switch (random.nextInt(10)) {
            case 0 -> {
                out.append('*');
                min = 0;
                max = 3;
            }
            case 1 -> {
                out.append('+');
                min = 1;
                max = 3;
            }
            case 2 -> {
                out.append('?');
                min = 0;
                max = 1;
            }
            case 3 -> {
                min = random.nextInt(4);
                max = min + random.nextInt(3);
                boolean open = random.nextInt(3) == 0;
                out.append('{').append(min);
                if (open) {
                    out.append(",}");
                    max = min + 2;
                } else if (max == min && random.nextBoolean()) {
                    out.append('}');
                } else {
                    out.append(',').append(max).append('}');
                }
            }
            default -> {
                return atom;
            }
        }
        if (random.nextInt(5) == 0) {
            out.append('?');
        }
        int lo = min;
        int hi = max;
        return (r, s) -> {
            int times = lo + r.nextInt(hi - lo + 1);
            for (int i = 0; i < times; i++) {
                atom.append(r, s);
            }
        };
    }

    private Example atom(StringBuilder out, int depth) {
        int kind = random.nextInt(depth > 0 ? 12 : 8);
        switch (kind) {
            case 0, 1, 2 -> {
                String literal = LITERALS[random.nextInt(LITERALS.length)];
                out.append(literal);
                return (r, s) -> s.append(literal);
            }
            case 3 -> {
                out.append(ESCAPES[random.nextInt(ESCAPES.length)]);
                return RandomRegex::anyChar;
            }
            case 4 -> {
                out.append(CLASSES[random.nextInt(CLASSES.length)]);
                return RandomRegex::anyChar;
            }
            case 5 -> {
                out.append('.');
                return RandomRegex::anyChar;
            }
            case 6 -> {
                if (random.nextInt(4) == 0) {
                    out.append(FOREIGN[random.nextInt(FOREIGN.length)]);
                    return RandomRegex::anyChar;
                }
                out.append("ab");
                return (r, s) -> s.append("ab");
            }
            case 7 -> {
                String word = random.nextBoolean() ? "/rest/" : "rest";
                out.append(word);
                return (r, s) -> s.append(word);
            }
            default -> {
                out.append(random.nextBoolean() ? "(" : "(?:");
                Example inner = alternation(out, depth - 1);
                out.append(')');
                return inner;
            }
        }
    }

    private static void anyChar(SplittableRandom random, StringBuilder out) {
        out.append(INPUT_CHARS.get(random.nextInt(INPUT_CHARS.size())));
    }

    /** {@code base} with a few random edits: a character inserted, removed or replaced. */
    static String mutate(SplittableRandom random, String base) {
        StringBuilder out = new StringBuilder(base);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = out.length() == 0 ? 0 : random.nextInt(out.length() + 1);
            String c = INPUT_CHARS.get(random.nextInt(INPUT_CHARS.size()));
            switch (random.nextInt(3)) {
                case 0 -> out.insert(at, c);
                case 1 -> {
                    if (at < out.length()) {
                        out.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < out.length()) {
                        out.replace(at, at + 1, c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A string of up to {@code maxLength} random input characters. */
    static String randomString(SplittableRandom random, int maxLength) {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            anyChar(random, out);
        }
        return out.toString();
    }
}
