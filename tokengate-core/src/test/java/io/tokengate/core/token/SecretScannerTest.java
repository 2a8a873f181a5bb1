package io.tokengate.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretScannerTest {
    private final TokenSecret secret = TokenSecret.generate(new SecureRandom());

    @Test
    void redactsEverySecretToItsHint() {
        String text = "a " + secret.reveal() + " b " + secret.reveal() + "c";
        String redacted = SecretScanner.redact(text);
        assertThat(redacted).isEqualTo("a " + secret.hint() + " b " + secret.hint() + "c");
        assertThat(SecretScanner.containsSecret(text)).isTrue();
        assertThat(SecretScanner.containsSecret(redacted)).isFalse();
    }

    @Test
    void aSecretMistypedByOneCharacterIsHiddenToo() {
        String real = secret.reveal();
        for (int at = TokenSecret.PREFIX.length(); at < TokenSecret.LENGTH; at++) {
            char wrong = real.charAt(at) == 'x' ? 'y' : 'x';
            String typo = real.substring(0, at) + wrong + real.substring(at + 1);
            assertThat(TokenSecret.parse(typo)).as("the checksum catches it").isEmpty();
            String redacted = SecretScanner.redact("GET /rest/api/2/issue?key=" + typo + "&x=1");
            assertThat(redacted)
                    .as("typo at %d", at)
                    .isEqualTo("GET /rest/api/2/issue?key=tgk_…" + typo.substring(TokenSecret.LENGTH - 4) + "&x=1");
            assertThat(SecretScanner.containsSecret(typo)).isTrue();
        }
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String tooShort = "tgk_" + "A".repeat(37);
        assertThat(SecretScanner.redact(tooShort)).isSameAs(tooShort);
        String notBase62 = "tgk_" + "A".repeat(20) + "-" + "A".repeat(17);
        assertThat(SecretScanner.redact(notBase62)).isSameAs(notBase62);
        assertThat(SecretScanner.redact("tgk_")).isEqualTo("tgk_");
        assertThat(SecretScanner.redact(null)).isNull();
        String prefixed = "tgk_tgk_" + secret.reveal().substring(4);
        assertThat(SecretScanner.containsSecret("xx" + secret.reveal())).isTrue();
        assertThat(SecretScanner.redact(prefixed))
                .doesNotContain(secret.reveal().substring(4, 30));
    }
}
