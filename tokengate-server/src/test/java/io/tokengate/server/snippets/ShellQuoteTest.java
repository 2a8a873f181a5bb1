package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShellQuoteTest {
    @Test
    void singleQuotesKeepShellSyntaxLiteral() {
        assertThat(ShellQuote.quote("plain")).isEqualTo("'plain'");
        assertThat(ShellQuote.quote("")).isEqualTo("''");
        assertThat(ShellQuote.quote("$HOME $(id) `id` \\ \"x\" !! * ~ ; & | > <"))
                .isEqualTo("'$HOME $(id) `id` \\ \"x\" !! * ~ ; & | > <'");
    }

    @Test
    void aQuoteClosesReescapesAndReopens() {
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuote.quote("'; rm -rf / #")).isEqualTo("''\\''; rm -rf / #'");
    }

    @Test
    void newlinesAndUnicodeStayRawInsideSingleQuotes() {
        assertThat(ShellQuote.quote("a\nb zoë 😀")).isEqualTo("'a\nb zoë 😀'");
    }

    @Test
    void controlsAndInvisibleCharactersSwitchToAnsiCQuotingWithByteEscapes() {
        assertThat(ShellQuote.quote("a\tb")).isEqualTo("$'a\\tb'");
        assertThat(ShellQuote.quote("it's\r\n\\ $x")).isEqualTo("$'it\\x27s\\r\\n\\\\ $x'");
        assertThat(ShellQuote.quote("\u202Eevil")).isEqualTo("$'\\xE2\\x80\\xAEevil'");
        assertThat(ShellQuote.quote("\u0001\u007f\u0085")).isEqualTo("$'\\x01\\x7F\\xC2\\x85'");
        assertThat(ShellQuote.quote("\u00a0!")).isEqualTo("$'\\xC2\\xA0!'");
    }
}
