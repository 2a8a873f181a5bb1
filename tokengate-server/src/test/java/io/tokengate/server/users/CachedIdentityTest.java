package io.tokengate.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.store.UserRole;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a remembered sign-in may skip, and what it may not: the slow password check, yes; a
 * change to the account made meanwhile, no.
 */
class CachedIdentityTest {
    /** One account whose password the test changes, stamped like local users: new password, new stamp. */
    private static final class Account implements IdentitySource {
        char[] password = "old-password".toCharArray();
        int version = 1;
        UserRole role = UserRole.ADMIN;
        Runnable duringCheck = () -> {};
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public Optional<Principal> authenticate(String user, char[] given) {
            checks.incrementAndGet();
            boolean right = user.equals("ops") && Arrays.equals(given, password); // the row as read
            duringCheck.run(); // the slow hash, while another node may change the account
            return right ? Optional.of(new Principal("ops", role, "local")) : Optional.empty();
        }

        @Override
        public Optional<Principal> refresh(Principal signedIn) {
            return Optional.of(new Principal("ops", role, "local"));
        }

        @Override
        public Optional<Standing> standing(Principal verified) {
            return refresh(verified).map(p -> new Standing(p, "v" + version));
        }

        @Override
        public String label() {
            return "local";
        }

        void changePassword(String to) {
            password = to.toCharArray();
            version++;
        }
    }

    @Test
    void theSlowCheckIsRememberedButWhoTheUserIsIsReadAtEachCall() {
        Account account = new Account();
        CachedIdentity cached = new CachedIdentity(account, Duration.ofMinutes(1));
        assertThat(cached.authenticate("ops", "old-password".toCharArray())).isPresent();
        assertThat(cached.authenticate("ops", "old-password".toCharArray())).isPresent();
        assertThat(account.checks).as("checked once").hasValue(1);

        account.role = UserRole.USER;
        assertThat(cached.authenticate("ops", "old-password".toCharArray()))
                .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(UserRole.USER));

        account.changePassword("new-password");
        assertThat(cached.authenticate("ops", "old-password".toCharArray())).isEmpty();
    }

    @Test
    void aPasswordChangedDuringTheCheckIsNotRememberedAgainstTheNewAccount() {
        Account account = new Account();
        CachedIdentity cached = new CachedIdentity(account, Duration.ofMinutes(1));
        account.duringCheck = () -> {
            account.duringCheck = () -> {};
            account.changePassword("new-password");
        };
        assertThat(cached.authenticate("ops", "old-password".toCharArray()))
                .as("checked against the row read before the change")
                .isPresent();

        assertThat(cached.authenticate("ops", "old-password".toCharArray()))
                .as("but not remembered with the new password's stamp")
                .isEmpty();
        assertThat(account.checks).hasValue(2);
    }

    @Test
    void rememberedAnswersOnlyForCredentialsCheckedLatelyAndNeverChecksThem() {
        Account account = new Account();
        CachedIdentity cached = new CachedIdentity(account, Duration.ofMinutes(1));
        assertThat(cached.remembered("ops", "old-password".toCharArray()))
                .as("right, but not checked yet")
                .isEmpty();
        assertThat(account.checks).hasValue(0);

        assertThat(cached.authenticate("ops", "old-password".toCharArray())).isPresent();
        assertThat(cached.remembered("ops", "old-password".toCharArray()))
                .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("ops"));
        assertThat(cached.remembered("ops", "wrong-password".toCharArray())).isEmpty();
        assertThat(cached.remembered("ops", null)).isEmpty();
        assertThat(account.checks).as("no check of its own").hasValue(1);

        account.changePassword("new-password");
        assertThat(cached.remembered("ops", "old-password".toCharArray())).isEmpty();
        account.changePassword("old-password"); // a third stamp: the old check does not come back
        assertThat(cached.remembered("ops", "old-password".toCharArray())).isEmpty();
        assertThat(account.checks).hasValue(1);
    }
}
