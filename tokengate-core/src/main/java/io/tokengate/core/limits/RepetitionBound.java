package io.tokengate.core.limits;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bounds the product of nested counted repetitions, as RE2 does: {@code ((a{100}){100}){100}}
 * compiles to a program of a million instructions, so a single saved restriction could take
 * seconds and megabytes to compile on every node. Along any path of nested groups the counts
 * multiply, and that product must stay within {@link RegexSyntax#MAX_REPEAT_PRODUCT}; the length
 * limit bounds repetitions that merely follow one another.
 */
final class RepetitionBound {
    private RepetitionBound() {}

    static void check(String regex) {
        Deque<long[]> groups = new ArrayDeque<>(); // per open group: {largest product inside}
        groups.push(new long[] {1});
        long lastAtom = 1;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            switch (c) {
                case '\\':
                    i++;
                    lastAtom = 1;
                    break;
                case '[':
                    i = endOfClass(regex, i);
                    lastAtom = 1;
                    break;
                case '(':
                    groups.push(new long[] {1});
                    lastAtom = 1;
                    break;
                case ')':
                    lastAtom = groups.size() > 1 ? groups.pop()[0] : 1;
                    break;
                case '{':
                    int close = regex.indexOf('}', i);
                    long count = close < 0 ? -1 : largestCount(regex.substring(i + 1, close));
                    if (count >= 0) {
                        lastAtom *= Math.max(1, count);
                        if (lastAtom > RegexSyntax.MAX_REPEAT_PRODUCT) {
                            throw new RegexSyntaxException(
                                    "nested repetition counts multiply to more than " + RegexSyntax.MAX_REPEAT_PRODUCT
                                            + " (RE2 limit)",
                                    i);
                        }
                        i = close;
                    }
                    break;
                default:
                    lastAtom = 1;
            }
            long[] top = groups.peek();
            top[0] = Math.max(top[0], lastAtom);
        }
    }

    private static int endOfClass(String regex, int open) {
        int i = open + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        for (; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[' && i + 1 < regex.length() && regex.charAt(i + 1) == ':') {
                int end = regex.indexOf(":]", i + 2);
                i = end < 0 ? i : end + 1;
            } else if (c == ']') {
                return i;
            }
        }
        return regex.length();
    }

    /** The upper count of {@code n}, {@code n,} or {@code n,m}; -1 when it is not a repetition. */
    private static long largestCount(String body) {
        if (!body.matches("\\d{1,6}(,\\d{0,6})?")) {
            return -1;
        }
        int comma = body.indexOf(',');
        String upper = comma < 0 || comma == body.length() - 1 ? body.replace(",", "") : body.substring(comma + 1);
        return Long.parseLong(upper);
    }
}
