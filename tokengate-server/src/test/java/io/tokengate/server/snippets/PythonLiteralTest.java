package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PythonLiteralTest {
    @Test
    void escapesTheQuoteInUseAndBackslashes() {
        assertThat(PythonLiteral.quote("say \"hi\" it's \\")).isEqualTo("\"say \\\"hi\\\" it's \\\\\"");
        assertThat(PythonLiteral.quote("{\"a\":\"it's\"}", '\'')).isEqualTo("'{\"a\":\"it\\'s\"}'");
    }

    @Test
    void formatAndShellSyntaxNeedNothing() {
        assertThat(PythonLiteral.quote("{x} %s $(id) `id`")).isEqualTo("\"{x} %s $(id) `id`\"");
    }

    @Test
    void aBackslashBeforeAnEscapeLetterStaysABackslash() {
        assertThat(PythonLiteral.quote("\\n\\u0041\\N{DASH}")).isEqualTo("\"\\\\n\\\\u0041\\\\N{DASH}\"");
    }

    @Test
    void controlsAndInvisibleCharactersAreEscaped() {
        assertThat(PythonLiteral.quote("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
        assertThat(PythonLiteral.quote("\u0000\u007f\u0085\u2028")).isEqualTo("\"\\x00\\x7F\\x85\\u2028\"");
        assertThat(PythonLiteral.quote("\u202E\uDB80\uDC00")).isEqualTo("\"\\u202E\\U000F0000\"");
    }

    @Test
    void visibleUnicodeStaysReadable() {
        assertThat(PythonLiteral.quote("zoë 日本 😀")).isEqualTo("\"zoë 日本 😀\"");
    }
}
