package io.tokengate.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecretTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void hasThePrefixRandomPartAndChecksum() {
        TokenSecret secret = TokenSecret.generate(random);
        assertThat(secret.reveal()).matches("tgk_[0-9A-Za-z]{38}").hasSize(TokenSecret.LENGTH);
        assertThat(TokenSecret.isWellFormed(secret.reveal())).isTrue();
        assertThat(TokenSecret.parse(secret.reveal())).contains(secret);
    }

    @Test
    void theChecksumIsTheBase62Crc32OfTheRandomPart() {
        // CRC32("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") = 0x4D1C2F1B... computed independently below.
        String body = "a".repeat(32);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long value = crc.getValue();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            expected.insert(0, Base62.ALPHABET.charAt((int) (value % 62)));
            value /= 62;
        }
        assertThat(TokenSecret.isWellFormed("tgk_" + body + expected)).isTrue();
    }

    @Test
    void rejectsLookAlikesOffline() {
        String valid = TokenSecret.generate(random).reveal();
        char last = valid.charAt(valid.length() - 1);
        String badChecksum = valid.substring(0, valid.length() - 1) + (last == 'a' ? 'b' : 'a');
        char first = valid.charAt(4);
        String badBody = "tgk_" + (first == 'a' ? 'b' : 'a') + valid.substring(5);
        assertThat(TokenSecret.parse(badChecksum)).isEmpty();
        assertThat(TokenSecret.parse(badBody)).isEmpty();
        assertThat(TokenSecret.parse("ghp_" + valid.substring(4))).isEmpty();
        assertThat(TokenSecret.parse(valid + "x")).isEmpty();
        assertThat(TokenSecret.parse(valid.substring(1))).isEmpty();
        assertThat(TokenSecret.parse(valid.replace(valid.charAt(10), '-'))).isEmpty();
        assertThat(TokenSecret.parse(null)).isEmpty();
        assertThat(TokenSecret.parse("")).isEmpty();
        assertThat(TokenSecret.parse("token1234567890")).isEmpty();
    }

    @Test
    void neverPrintsTheSecret() {
        TokenSecret secret = TokenSecret.generate(random);
        assertThat(secret.toString())
                .doesNotContain(secret.reveal().substring(4, 12))
                .isEqualTo("TokenSecret[redacted]");
        assertThat(String.valueOf(secret)).doesNotContain(secret.reveal());
        assertThat(secret.hint())
                .isEqualTo("tgk_…" + secret.reveal().substring(38))
                .hasSize(9);
    }

    @Test
    void secretsAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(TokenSecret.generate(random).reveal())).isTrue();
        }
    }

    @Test
    void secretsAreEqualOnlyWhenTheirTextIs() {
        TokenSecret secret = TokenSecret.generate(random);
        assertThat(secret)
                .isEqualTo(TokenSecret.parse(secret.reveal()).orElseThrow())
                .isNotEqualTo(TokenSecret.generate(random))
                .isNotEqualTo(secret.reveal());
    }

    @Test
    void aChecksumOfZeroIsAllZeroDigits() {
        assertThat(Base62.encode(0, 6)).isEqualTo("000000");
        assertThat(Base62.encode(61, 2)).isEqualTo("0z");
    }

    @Test
    void digestsAreKeyedAndStable() {
        byte[] pepper = new byte[32];
        random.nextBytes(pepper);
        byte[] other = pepper.clone();
        other[0] ^= 1;
        TokenSecret secret = TokenSecret.generate(random);
        TokenDigester digester = new TokenDigester(pepper);
        TokenDigest digest = digester.digest(secret);
        assertThat(digester.digest(TokenSecret.parse(secret.reveal()).orElseThrow()))
                .isEqualTo(digest);
        assertThat(new TokenDigester(other).digest(secret)).isNotEqualTo(digest);
        assertThat(TokenDigest.fromHex(digest.hex())).isEqualTo(digest).hasSameHashCodeAs(digest);
        assertThat(digest.hex()).hasSize(64).doesNotContain(secret.reveal());
        assertThat(digest.toString()).hasSize("TokenDigest[12345678…]".length());
    }
}
