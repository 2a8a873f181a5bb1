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
    void leavesLookAlikesAndOrdinaryTextAlone() {
        String lookAlike = "tgk_" + "A".repeat(38); // wrong checksum
        assertThat(SecretScanner.redact(lookAlike)).isSameAs(lookAlike);
        assertThat(SecretScanner.redact("tgk_")).isEqualTo("tgk_");
        assertThat(SecretScanner.redact(null)).isNull();
        String prefixed = "tgk_tgk_" + secret.reveal().substring(4);
        assertThat(SecretScanner.containsSecret("xx" + secret.reveal())).isTrue();
        assertThat(SecretScanner.redact(prefixed))
                .doesNotContain(secret.reveal().substring(4, 30));
    }
}
