package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsLiteralTest {
    @Test
    void escapesTheQuoteInUseAndBackslashes() {
        assertThat(JsLiteral.quote("say \"hi\" it's \\")).isEqualTo("\"say \\\"hi\\\" it's \\\\\"");
        assertThat(JsLiteral.quote("{\"a\":\"it's\"}", '\'')).isEqualTo("'{\"a\":\"it\\'s\"}'");
    }

    @Test
    void templateAndShellSyntaxNeedNothing() {
        assertThat(JsLiteral.quote("${x} `id` $(id)")).isEqualTo("\"${x} `id` $(id)\"");
    }

    @Test
    void lineTerminatorsControlsAndInvisibleCharactersAreEscaped() {
        assertThat(JsLiteral.quote("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
        assertThat(JsLiteral.quote("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
        assertThat(JsLiteral.quote("\u0000\u0001\u007f\u0085")).isEqualTo("\"\\x00\\x01\\x7F\\x85\"");
        assertThat(JsLiteral.quote("\u202E\u200B\uFEFF")).isEqualTo("\"\\u202E\\u200B\\uFEFF\"");
        assertThat(JsLiteral.quote("\uDB80\uDC00")).isEqualTo("\"\\u{F0000}\""); // private use, plane 15
    }

    @Test
    void visibleUnicodeStaysReadable() {
        assertThat(JsLiteral.quote("zoë 日本 😀")).isEqualTo("\"zoë 日本 😀\"");
    }

    @Test
    void aValueCannotCloseTheScriptElementItIsPastedInto() {
        assertThat(JsLiteral.quote("</script><!--")).isEqualTo("\"\\x3C/script>\\x3C!--\"");
    }
}
