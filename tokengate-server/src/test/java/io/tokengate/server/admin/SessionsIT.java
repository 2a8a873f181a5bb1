package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.server.ManualClock;
import io.tokengate.server.config.AdminConfig;
import io.tokengate.server.users.Principal;
import io.tokengate.store.Store;
import io.tokengate.store.StoreConfig;
import io.tokengate.store.UserRole;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session expiry, idle and absolute, on a real store with a clock the test moves. */
class SessionsIT {
    @TempDir
    Path home;

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-28T08:00:00Z"));
    Store store;
    Sessions sessions;
    final Principal alice = new Principal("alice", UserRole.USER, "local");

    @BeforeEach
    void open() {
        store = Store.open(StoreConfig.builder(home).nodeId("sessions-test").build(), clock);
        AdminConfig config = new AdminConfig(
                AdminConfig.IdentitySource.LOCAL,
                Optional.of(URI.create("https://admin.example.com")),
                Duration.ofMinutes(30),
                Duration.ofHours(12),
                Duration.ofSeconds(60),
                10,
                Duration.ofMinutes(5),
                Set.of("admin.example.com"));
        sessions = new Sessions(store.sessions(), config, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aSessionUnusedForTheIdleTimeEnds() {
        Sessions.Started started = sessions.start(alice);
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(started.cookieValue())).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(started.cookieValue()))
                .as("used 29 minutes ago: still in force")
                .isPresent();
        clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.find(started.cookieValue()))
                .as("idle for 31 minutes")
                .isEmpty();
        clock.advance(Duration.ofMinutes(-31));
        assertThat(sessions.find(started.cookieValue()))
                .as("an ended session is deleted, not just refused")
                .isEmpty();
    }

    @Test
    void aSessionEndsAtItsAbsoluteEndHoweverBusy() {
        Sessions.Started started = sessions.start(alice);
        assertThat(started.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
        for (int i = 0; i < 12 * 4 - 1; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.find(started.cookieValue()))
                    .as("after %d minutes", (i + 1) * 15)
                    .isPresent();
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.find(started.cookieValue())).isEmpty();
    }

    @Test
    void cookiesAndCsrfTokensAreUnguessableAndBoundToTheirSession() {
        Sessions.Started one = sessions.start(alice);
        Sessions.Started two = sessions.start(alice);
        assertThat(one.cookieValue()).hasSize(43).isNotEqualTo(two.cookieValue());
        assertThat(Sessions.csrfMatches(one.cookieValue(), one.csrfToken())).isTrue();
        assertThat(Sessions.csrfMatches(one.cookieValue(), two.csrfToken())).isFalse();
        assertThat(Sessions.csrfMatches(one.cookieValue(), null)).isFalse();
        assertThat(sessions.find(one.cookieValue()).orElseThrow().principal()).isEqualTo(alice);
        assertThat(sessions.find("not a cookie")).isEmpty();
        assertThat(sessions.cookie(one, false).isSecure()).as("https admin URL").isTrue();
        sessions.endAll("ALICE");
        assertThat(sessions.find(one.cookieValue())).isEmpty();
        assertThat(sessions.find(two.cookieValue())).isEmpty();
    }
}
