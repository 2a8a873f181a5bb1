package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PowerShellLiteralTest {
    @Test
    void verbatimStringsKeepVariablesBackticksAndDoubleQuotesLiteral() {
        assertThat(PowerShellLiteral.quote("$env:USERNAME $(Get-Date) `n \"x\" @{}"))
                .isEqualTo("'$env:USERNAME $(Get-Date) `n \"x\" @{}'");
        assertThat(PowerShellLiteral.quote("")).isEqualTo("''");
    }

    @Test
    void aQuoteIsDoubled() {
        assertThat(PowerShellLiteral.quote("it's ''")).isEqualTo("'it''s '''''");
    }

    @Test
    void everythingElseIsACharCodeSoTheScriptIsAscii() {
        assertThat(PowerShellLiteral.quote("zoë")).isEqualTo("(-join @('zo', [char]0x00EB))");
        assertThat(PowerShellLiteral.quote("a\nb")).isEqualTo("(-join @('a', [char]0x000A, 'b'))");
        assertThat(PowerShellLiteral.quote("😀")).isEqualTo("(-join @([char]0xD83D, [char]0xDE00))");
    }

    /** PowerShell also ends a verbatim string at U+2018 to U+201B; they must never appear raw. */
    @Test
    void typographicQuotesNeverAppearRaw() {
        assertThat(PowerShellLiteral.quote("\u2018x\u2019\u201A\u201B"))
                .isEqualTo("(-join @([char]0x2018, 'x', [char]0x2019, [char]0x201A, [char]0x201B))");
    }

    @ParameterizedTest
    @MethodSource("io.tokengate.server.snippets.Nasty#values")
    void evaluatesBackToTheValue(String value) {
        String expression = PowerShellLiteral.quote(value);
        assertThat(expression.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(PowerShellEvaluator.evaluate(expression)).isEqualTo(value);
    }
}
