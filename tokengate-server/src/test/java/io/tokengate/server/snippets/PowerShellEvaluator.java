package io.tokengate.server.snippets;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the PowerShell string expressions the generator writes, and nothing else: a verbatim
 * string {@code '…'} (with {@code ''} for a quote), {@code [char]0xXXXX}, and {@code (-join @(…))}
 * of those. Anything else fails, so an expression that would make PowerShell expand a variable or
 * run a command cannot pass. No Debian repository has pwsh; this stands in for it.
 */
final class PowerShellEvaluator {
    private final String text;
    private int pos;

    private PowerShellEvaluator(String text) {
        this.text = text;
    }

    static String evaluate(String expression) {
        PowerShellEvaluator evaluator = new PowerShellEvaluator(expression);
        String value = evaluator.expression();
        if (evaluator.pos != expression.length()) {
            throw new IllegalArgumentException("unexpected text at " + evaluator.pos + " in " + expression);
        }
        return value;
    }

    private String expression() {
        if (text.startsWith("(-join @(", pos)) {
            pos += "(-join @(".length();
            List<String> parts = new ArrayList<>();
            parts.add(part());
            while (text.startsWith(", ", pos)) {
                pos += 2;
                parts.add(part());
            }
            expect("))");
            return String.join("", parts);
        }
        return verbatim();
    }

    private String part() {
        if (text.startsWith("[char]0x", pos)) {
            pos += "[char]0x".length();
            String hex = text.substring(pos, pos + 4);
            if (!hex.matches("[0-9A-F]{4}")) {
                throw new IllegalArgumentException("bad [char] code at " + pos + " in " + text);
            }
            pos += 4;
            return String.valueOf((char) Integer.parseInt(hex, 16));
        }
        return verbatim();
    }

    /** PowerShell ends a verbatim string at ' and at U+2018 to U+201B alike. */
    private String verbatim() {
        expect("'");
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unterminated string in " + text);
            }
            char c = text.charAt(pos);
            if (isQuote(c)) {
                if (pos + 1 < text.length() && isQuote(text.charAt(pos + 1))) {
                    value.append(text.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                pos++;
                return value.toString();
            }
            value.append(c);
            pos++;
        }
    }

    private static boolean isQuote(char c) {
        return c == '\'' || c >= '\u2018' && c <= '\u201B';
    }

    private void expect(String token) {
        if (!text.startsWith(token, pos)) {
            throw new IllegalArgumentException("expected " + token + " at " + pos + " in " + text);
        }
        pos += token.length();
    }
}
