package io.tokengate.server.snippets;

import java.util.List;

/** Values that break naive quoting in at least one of the snippet languages. */
final class Nasty {
    private Nasty() {}

    static List<String> values() {
        return List.of(
                "",
                "plain",
                "it's",
                "'",
                "''",
                "'''",
                "\"",
                "\"\"\"",
                "'\"'\"",
                "a'\\''b",
                "\\",
                "\\\\'",
                "trailing\\",
                "$HOME ${HOME} $(touch pwned) `touch pwned`",
                "$env:PATH $(Get-Date) @(1) `n `$",
                "!! !$ !-1",
                "line\nbreak\n",
                "cr\rlf\r\n",
                "tab\there",
                "\u0001\u0008\u000b\u000c\u001b[31m\u001f\u007f",
                "\u0080\u0085\u009f\u00a0",
                "zoë Ärger ß",
                "日本語 한국어 עברית",
                "😀 a😀b 𝔘",
                "\u202Eevil\u202C \u2066x\u2069",
                "\u2028\u2029",
                "\u200B\u200D\uFEFF",
                "\u2018\u2019\u201A\u201B\u201C\u201D\u201E",
                "\uE000\uDB80\uDC00",
                "\u0378",
                "</script><!--",
                "%s %d %n %% {0}",
                "{{$guid}} {{x}}",
                "\\u0022 \\n \\x27 \\U0001F600 \\N{DASH}",
                "'; rm -rf / #",
                "\"; System.exit(1); \"",
                "\" + require('child_process').execSync('touch pwned') + \"",
                "''') ; __import__('os').system('touch pwned') ; ('''",
                "' + (New-Item pwned) + '");
    }
}
