package io.tokengate.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class TokenIdTest {
    @Test
    void generatesUrlSafeIds() {
        TokenId id = TokenId.generate(new SecureRandom());
        assertThat(id.value()).matches("tok_[0-9A-Za-z]{16}");
        assertThat(new TokenId(id.value())).isEqualTo(id);
        assertThat(id.toString()).isEqualTo(id.value());
    }

    @Test
    void rejectsMalformedIdsWithoutEchoingSecrets() {
        assertThatThrownBy(() -> new TokenId("tok_short")).hasMessageContaining("invalid token id 'tok_short'");
        assertThatThrownBy(() -> new TokenId("tok_../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        TokenSecret secret = TokenSecret.generate(new SecureRandom());
        assertThatThrownBy(() -> new TokenId(secret.reveal()))
                .hasMessageNotContaining(secret.reveal().substring(4));
    }

    @Test
    void quotesWhatWasGivenForAnIdUpToAnyTokenSecret() {
        String secret = TokenSecret.generate(new SecureRandom()).reveal();
        String typo = secret.substring(0, 20) + "!" + secret.substring(21);
        assertThat(TokenId.quote("tok_short")).isEqualTo("tok_short");
        assertThat(TokenId.quote(secret)).isEqualTo("tgk_…");
        assertThat(TokenId.quote("id=" + typo)).as("a mistyped secret too").isEqualTo("id=tgk_…");
        assertThat(TokenId.quote("a\nb")).isEqualTo("a\\u000ab");
    }
}
