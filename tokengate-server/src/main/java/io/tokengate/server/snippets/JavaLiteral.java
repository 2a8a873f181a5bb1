package io.tokengate.server.snippets;

/**
 * Java string literals in pure ASCII, so the program compiles whatever the platform's default
 * encoding ({@code java Snippet.java} on JDK 17 reads sources in it). Non-ASCII characters are
 * written as {@code \}{@code uXXXX} per UTF-16 unit; controls as named or three-digit octal
 * escapes. A {@code \}{@code u} escape is never used for a quote, a backslash or a line end:
 * the compiler translates those before it reads the literal.
 */
final class JavaLiteral {
    private JavaLiteral() {}

    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        out.append('\\').append(String.format("%03o", (int) c));
                    } else if (c >= 0x80) {
                        out.append("\\u").append(Chars.hex(c, 4));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
