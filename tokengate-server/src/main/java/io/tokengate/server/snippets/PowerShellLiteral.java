package io.tokengate.server.snippets;

import java.util.ArrayList;
import java.util.List;

/**
 * PowerShell string expressions in pure ASCII, for Windows PowerShell 5.1 (which reads a script
 * without a byte-order mark in the ANSI code page) and PowerShell 7. Printable ASCII goes into a
 * single-quoted (verbatim) string, where only {@code '} is special and is doubled; {@code $},
 * backticks and double quotes are literal there. Any other character, including the typographic
 * quotes U+2018 to U+201B that PowerShell also accepts as single quotes, is written as {@code
 * [char]0xXXXX} (one per UTF-16 unit) and the parts are joined: {@code (-join @('zo', [char]0x00EB))}.
 */
final class PowerShellLiteral {
    private PowerShellLiteral() {}

    static String quote(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                run.append(c == '\'' ? "''" : String.valueOf(c));
            } else {
                if (run.length() > 0) {
                    parts.add("'" + run + "'");
                    run.setLength(0);
                }
                parts.add("[char]0x" + Chars.hex(c, 4));
            }
        }
        if (parts.isEmpty()) {
            return "'" + run + "'";
        }
        if (run.length() > 0) {
            parts.add("'" + run + "'");
        }
        return "(-join @(" + String.join(", ", parts) + "))";
    }
}
