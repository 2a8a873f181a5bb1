package io.tokengate.server.snippets;

/** Python 3 {@code str} literals (not raw): the quote, the backslash, controls and invisible characters escaped. */
final class PythonLiteral {
    private PythonLiteral() {}

    /** A double-quoted literal. */
    static String quote(String value) {
        return quote(value, '"');
    }

    /** A literal in {@code quote}, {@code '} or {@code "}. */
    static String quote(String value, char quote) {
        StringBuilder out = new StringBuilder(value.length() + 2).append(quote);
        value.codePoints().forEach(cp -> {
            if (cp == quote || cp == '\\') {
                out.append('\\').append((char) cp);
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (Chars.isHidden(cp)) {
                out.append(
                        cp < 0x100
                                ? "\\x" + Chars.hex(cp, 2)
                                : cp < 0x10000 ? "\\u" + Chars.hex(cp, 4) : "\\U" + Chars.hex(cp, 8));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(quote).toString();
    }
}
