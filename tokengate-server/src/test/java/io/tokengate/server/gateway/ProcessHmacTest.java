package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessHmacTest {
    private final ProcessHmac hmac = new ProcessHmac();

    @Test
    void theSameSecretGivesTheSameDigestUnderOneKey() {
        assertThat(hmac.of("127.0.0.1", "root:hunter2")).isEqualTo(hmac.of("127.0.0.1", "root:hunter2"));
    }

    /** A digest kept by one process (or cache) says nothing in another: each has its own key. */
    @Test
    void anotherKeyGivesAnotherDigest() {
        assertThat(new ProcessHmac().of("127.0.0.1", "root:hunter2"))
                .isNotEqualTo(hmac.of("127.0.0.1", "root:hunter2"));
    }

    /** The two parts are kept apart: user "ab" with password "c" is not user "a" with "bc". */
    @Test
    void thePartsAreNotRunTogether() {
        assertThat(hmac.of("ab", "c")).isNotEqualTo(hmac.of("a", "bc"));
    }

    @Test
    void itIsAnHmacSha256InHex() {
        assertThat(hmac.of("user", "password")).matches("[0-9a-f]{64}");
        assertThat(hmac).hasToString("ProcessHmac[HmacSHA256]");
    }
}
