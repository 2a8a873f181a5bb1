package io.tokengate.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin plane's sign-in settings.
 *
 * @param identitySource who may sign in: local users or Jira users
 * @param publicUrl the admin plane's external URL, when it is behind a proxy; {@code https}
 *     makes the session cookie {@code Secure}
 * @param sessionIdle a session unused this long ends
 * @param sessionMax a session ends this long after sign-in, whatever its use
 * @param credentialCache how long verified credentials are remembered; zero for never
 * @param loginMaxFailures failed sign-ins per client address before 429; 0 turns throttling off
 * @param loginWindow the window of {@code loginMaxFailures}
 */
public record AdminConfig(
        IdentitySource identitySource,
        Optional<URI> publicUrl,
        Duration sessionIdle,
        Duration sessionMax,
        Duration credentialCache,
        int loginMaxFailures,
        Duration loginWindow) {
    /** Where admin-plane users come from ({@code identity.source}). */
    public enum IdentitySource {
        /** The {@code users} table, managed with {@code tokengate user} and {@code /api/v1/users}. */
        LOCAL,
        /** Jira: credentials checked against {@code UPSTREAM/rest/api/2/myself}. */
        JIRA;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AdminConfig {
        Objects.requireNonNull(identitySource, "identitySource");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(sessionIdle, "sessionIdle");
        Objects.requireNonNull(sessionMax, "sessionMax");
        Objects.requireNonNull(credentialCache, "credentialCache");
        Objects.requireNonNull(loginWindow, "loginWindow");
    }

    /** Whether the session cookie must be {@code Secure}: the admin plane is reached over https. */
    public boolean secureCookie() {
        return publicUrl.map(u -> "https".equalsIgnoreCase(u.getScheme())).orElse(false);
    }

    /** The configured public origin ({@code scheme://host[:port]}), lower case, if any. */
    public Optional<String> publicOrigin() {
        return publicUrl.map(u -> (u.getScheme() + "://" + u.getRawAuthority()).toLowerCase(Locale.ROOT));
    }
}
