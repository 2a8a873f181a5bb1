package io.tokengate.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1000, new SecureRandom());

    @Test
    void verifiesTheRightPasswordOnly() {
        String stored = hasher.hash("correct horse".toCharArray());
        assertThat(stored).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct horse");
        assertThat(hasher.verify("correct horse".toCharArray(), stored)).isTrue();
        assertThat(hasher.verify("correct hors".toCharArray(), stored)).isFalse();
        assertThat(hasher.verify("".toCharArray(), stored)).isFalse();
    }

    @Test
    void saltsEveryHash() {
        assertThat(hasher.hash("pw".toCharArray())).isNotEqualTo(hasher.hash("pw".toCharArray()));
    }

    @Test
    void readsTheWorkFactorFromTheStoredHash() {
        String old = new PasswordHasher(10, new SecureRandom()).hash("pw".toCharArray());
        assertThat(hasher.verify("pw".toCharArray(), old)).isTrue();
        assertThat(new PasswordHasher().toString()).contains("600000");
    }

    /** What an unknown user's name is verified against: a well-formed hash, of the same work, of no password. */
    @Test
    void aDecoyHasTheWorkFactorAndMatchesNoPassword() {
        String decoy = hasher.decoy();
        String real = hasher.hash("pw".toCharArray());
        assertThat(decoy).startsWith("pbkdf2-sha256$1000$").hasSameSizeAs(real).isNotEqualTo(hasher.decoy());
        for (String password : new String[] {"", "pw", "decoy password"}) {
            assertThat(hasher.verify(password.toCharArray(), decoy))
                    .as(password)
                    .isFalse();
        }
    }

    @Test
    void malformedHashesNeverVerify() {
        for (String stored : new String[] {
            null, "", "plain", "pbkdf2-sha256$x$a$b", "pbkdf2-sha256$0$AAAA$AAAA", "md5$1$a$b", "pbkdf2-sha256$1$%%$%%"
        }) {
            assertThat(hasher.verify("pw".toCharArray(), stored))
                    .as(String.valueOf(stored))
                    .isFalse();
        }
    }
}
