package io.tokengate.core.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.SecretScanner;
import io.tokengate.core.token.TokenSecret;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class QuoteTest {

    @Test
    void keepsShortInputWholeAndEscapesWhatIsUnprintable() {
        assertThat(Quote.shorten("/rest/api/2/issue/AAA-1")).isEqualTo("/rest/api/2/issue/AAA-1");
        assertThat(Quote.shorten("a\nb\u0000c\u007f\u0085")).isEqualTo("a\\u000ab\\u0000c\\u007f\\u0085");
        assertThat(Quote.shorten("x".repeat(64))).isEqualTo("x".repeat(64));
        assertThat(Quote.shorten("a b\u0080\u00a0é")).isEqualTo("a b\\u0080\u00a0é");
    }

    @Test
    void cutsLongInputBeforeTheWordItWouldSplit() {
        String path = "/rest/api/2/issue/" + "AAA-1/".repeat(7) + "comment/10001";
        assertThat(Quote.shorten(path)).isEqualTo("/rest/api/2/issue/" + "AAA-1/".repeat(7) + "…");
        assertThat(Quote.shorten("a".repeat(63) + "/bcd")).isEqualTo("a".repeat(63) + "/…");
        assertThat(Quote.shorten("a".repeat(200)))
                .as("one word longer than the limit")
                .isEqualTo("…");
    }

    @Test
    void wordsAreRunsOfAsciiLettersDigitsAndUnderscores() {
        for (String wordChar : new String[] {"a", "z", "A", "Z", "0", "9", "_"}) {
            assertThat(Quote.shorten("/".repeat(60) + wordChar.repeat(10)))
                    .as("a word of '%s'", wordChar)
                    .isEqualTo("/".repeat(60) + "…");
        }
        assertThat(Quote.shorten("/".repeat(60) + "`{[@:-".repeat(2)))
                .as("punctuation is no word")
                .isEqualTo("/".repeat(60) + "`{[@" + "…");
    }

    @Test
    void holdsATokenSecretWholeOrNotAtAllWhereverItStarts() {
        String secret = TokenSecret.generate(new SecureRandom()).reveal();
        for (int start = 0; start <= 80; start++) {
            String input = "/rest/api/2/" + "x/".repeat(start / 2) + (start % 2 == 0 ? "" : "y") + secret + "/end";
            String quoted = Quote.shorten(input);
            String redacted = SecretScanner.redact(quoted);
            assertThat(redacted)
                    .as("secret at %d, quoted as %s", start, quoted)
                    .doesNotContainPattern("tgk_[0-9A-Za-z]");
        }
    }
}
