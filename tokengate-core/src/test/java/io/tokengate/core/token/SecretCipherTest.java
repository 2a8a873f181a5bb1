package io.tokengate.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.TokengateException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    private final SecureRandom random = new SecureRandom();
    private final byte[] key = new byte[32];
    private final SecretCipher cipher;

    SecretCipherTest() {
        random.nextBytes(key);
        cipher = new SecretCipher(key, random);
    }

    @Test
    void roundTripsBoundToTheTokenId() {
        TokenId id = TokenId.generate(random);
        TokenSecret secret = TokenSecret.generate(random);
        byte[] sealed = cipher.seal(id, secret);
        assertThat(cipher.open(id, sealed)).isEqualTo(secret);
        assertThat(cipher.seal(id, secret)).as("random nonce").isNotEqualTo(sealed);

        TokenId other = TokenId.generate(random);
        assertThatThrownBy(() -> cipher.open(other, sealed))
                .isInstanceOf(TokengateException.class)
                .hasMessageContaining("moved from another row");
    }

    @Test
    void roundTripsAnEmptyValue() {
        byte[] context = {1, 2, 3};
        assertThat(cipher.open(context, cipher.seal(context, new byte[0]))).isEmpty();
    }

    @Test
    void detectsTamperingAndOtherKeys() {
        TokenId id = TokenId.generate(random);
        byte[] sealed = cipher.seal(id, TokenSecret.generate(random));
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.open(id, sealed)).isInstanceOf(TokengateException.class);

        byte[] otherKey = new byte[32];
        random.nextBytes(otherKey);
        byte[] fresh = cipher.seal(id, TokenSecret.generate(random));
        assertThatThrownBy(() -> new SecretCipher(otherKey, random).open(id, fresh))
                .isInstanceOf(TokengateException.class);
        assertThatThrownBy(() -> cipher.open(id, new byte[5])).hasMessageContaining("unknown format");
    }

    @Test
    void printsNoKey() {
        assertThat(cipher.toString()).isEqualTo("SecretCipher[AES-256-GCM]");
        assertThatThrownBy(() -> new SecretCipher(new byte[16], random)).hasMessageContaining("32 bytes");
    }
}
