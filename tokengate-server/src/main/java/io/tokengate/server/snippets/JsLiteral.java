package io.tokengate.server.snippets;

/**
 * JavaScript string literals. Besides the quote and the backslash, line terminators (including
 * U+2028 and U+2029), controls and invisible characters are escaped, and so is {@code <}, so that
 * a value can never close a {@code <script>} element the snippet is pasted into.
 */
final class JsLiteral {
    private JsLiteral() {}

    /** A double-quoted literal. */
    static String quote(String value) {
        return quote(value, '"');
    }

    /** A literal in {@code quote}, {@code '} or {@code "}; JSON bodies read best in single quotes. */
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
            } else if (cp == '<') {
                out.append("\\x3C");
            } else if (Chars.isHidden(cp)) {
                out.append(
                        cp < 0x100
                                ? "\\x" + Chars.hex(cp, 2)
                                : cp < 0x10000 ? "\\u" + Chars.hex(cp, 4) : "\\u{" + Chars.hex(cp, 1) + "}");
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(quote).toString();
    }
}
