package io.tokengate.core.limits;

/**
 * Finds the constructs that users bring from java.util.regex or PCRE but RE2 cannot run in linear
 * time, so the error can say what they are and why, instead of RE2's terse "invalid escape".
 */
final class RegexSyntax {
    /** Longest regex accepted; restrictions are short, and this bounds compile time and memory. */
    static final int MAX_LENGTH = 4096;

    /** RE2's own bound on the product of nested repetition counts ({@code (a{100}){100}}). */
    static final int MAX_REPEAT_PRODUCT = 1000;

    private RegexSyntax() {}

    static void rejectUnsupported(String regex) {
        if (regex.length() > MAX_LENGTH) {
            throw new RegexSyntaxException(
                    "regex is " + regex.length() + " characters long (at most " + MAX_LENGTH + ")", MAX_LENGTH);
        }
        rejectLookaroundAndBackreferences(regex);
        RepetitionBound.check(regex);
    }

    private static void rejectLookaroundAndBackreferences(String regex) {
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(i + 1);
                if (!inClass && next >= '1' && next <= '9') {
                    throw unsupported("back-reference '\\" + next + "'", i);
                }
                if (!inClass && next == 'k' && i + 2 < regex.length() && regex.charAt(i + 2) == '<') {
                    throw unsupported("named back-reference '\\k<…>'", i);
                }
                i++; // skip the escaped character
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
                // A ']' right after '[' or '[^' is a literal member of the class.
                if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
                    i++;
                }
            } else if (c == '(' && regex.startsWith("(?", i)) {
                checkGroup(regex, i);
            } else if ((c == '+' || c == '*' || c == '?' || c == '}')
                    && i + 1 < regex.length()
                    && regex.charAt(i + 1) == '+') {
                throw unsupported("possessive quantifier '" + c + "+'", i);
            }
        }
    }

    private static void checkGroup(String regex, int at) {
        if (regex.startsWith("(?=", at) || regex.startsWith("(?!", at)) {
            throw unsupported("look-ahead '" + regex.substring(at, at + 3) + "'", at);
        }
        if (regex.startsWith("(?<=", at) || regex.startsWith("(?<!", at)) {
            throw unsupported("look-behind '" + regex.substring(at, at + 4) + "'", at);
        }
        if (regex.startsWith("(?>", at)) {
            throw unsupported("atomic group '(?>'", at);
        }
    }

    private static RegexSyntaxException unsupported(String construct, int offset) {
        return new RegexSyntaxException(
                construct + " is not supported: restrictions use RE2 syntax, which runs in linear time"
                        + " and has no look-around or back-references",
                offset);
    }
}
