package io.tokengate.server.snippets;

import java.nio.charset.StandardCharsets;

/**
 * Words for bash and zsh. A value is single-quoted, where nothing is special ({@code $}, backticks,
 * backslashes, {@code !} and newlines stay literal) and a quote is written {@code '\''}. A value
 * with a tab, a carriage return, another control or an invisible character is written in ANSI-C
 * quoting ({@code $'…'}) instead, with those characters as {@code \xHH} escapes of their UTF-8
 * bytes: pasted raw into a terminal they would trigger completion, end the line or worse.
 */
final class ShellQuote {
    private ShellQuote() {}

    static String quote(String value) {
        if (value.codePoints().anyMatch(cp -> cp != '\n' && Chars.isHidden(cp))) {
            return ansiC(value);
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * A quote is written {@code \x27}, not {@code \'}, so that bash's history expansion, which
     * tracks quotes on its own, sees the whole value as quoted and leaves a {@code !} alone.
     */
    private static String ansiC(String value) {
        StringBuilder out = new StringBuilder("$'");
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\'':
                    out.append("\\x27");
                    break;
                default:
                    if (Chars.isHidden(cp)) {
                        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                            out.append("\\x").append(Chars.hex(b & 0xff, 2));
                        }
                    } else {
                        out.appendCodePoint(cp);
                    }
            }
        });
        return out.append('\'').toString();
    }
}
