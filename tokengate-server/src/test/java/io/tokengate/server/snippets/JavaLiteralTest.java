package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JavaLiteralTest {
    @Test
    void escapesQuotesAndBackslashes() {
        assertThat(JavaLiteral.quote("say \"hi\" it's \\")).isEqualTo("\"say \\\"hi\\\" it's \\\\\"");
    }

    /**
     * javac turns {@code \}{@code u0022} into a quote before it reads literals; a value holding
     * that text must keep its backslash escaped so the compiler sees an even number of them.
     */
    @Test
    void aUnicodeEscapeInTheValueIsNotTranslatedByTheCompiler() {
        assertThat(JavaLiteral.quote("\\u0022); System.exit(1); //")).isEqualTo("\"\\\\u0022); System.exit(1); //\"");
    }

    @Test
    void theSourceIsAsciiWhateverTheValue() {
        assertThat(JavaLiteral.quote("zoë 😀 \u202E")).isEqualTo("\"zo\\u00EB \\uD83D\\uDE00 \\u202E\"");
    }

    @Test
    void controlsUseNamedOrThreeDigitOctalEscapesNeverUnicodeEscapes() {
        assertThat(JavaLiteral.quote("a\nb\rc\td\be\ff")).isEqualTo("\"a\\nb\\rc\\td\\be\\ff\"");
        assertThat(JavaLiteral.quote("\u0000" + "1\u001f\u007f")).isEqualTo("\"\\0001\\037\\177\"");
    }
}
