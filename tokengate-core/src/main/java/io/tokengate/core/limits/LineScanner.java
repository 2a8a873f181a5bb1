package io.tokengate.core.limits;

/**
 * The lexical side of one line of limits: where white space ends, where a condition's bracket
 * closes. Positions are indexes in chars into the line, {@code end} exclusive.
 */
final class LineScanner {
    private final String line;

    LineScanner(String line) {
        this.line = line;
    }

    int skipWhitespace(int from, int end) {
        int i = from;
        while (i < end && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code end} moved back over the white space that ends {@code line[from, end)}. */
    int trimWhitespace(int from, int end) {
        int i = end;
        while (i > from && Character.isWhitespace(line.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** The closing bracket of a condition whose regex starts at {@code from}: brackets balance, '\' escapes. */
    int closingBracket(int from, int end) {
        int depth = 0;
        for (int i = from; i < end; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    boolean startsWithIgnoreCase(int at, String prefix) {
        return line.regionMatches(true, at, prefix, 0, prefix.length());
    }

    /** Up to 20 chars from {@code from}, for a message that quotes what it could not read. */
    String excerpt(int from, int end) {
        return line.substring(from, Math.min(end, from + 20)) + (end - from > 20 ? "…" : "");
    }
}
