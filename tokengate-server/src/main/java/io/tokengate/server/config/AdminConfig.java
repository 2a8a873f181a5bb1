package io.tokengate.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

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
 * @param hostNames the host names, in lower case, that the admin plane answers to besides IP
 *     addresses and {@code localhost}: {@code admin.host}, {@code admin.public.url}'s and those of
 *     {@code admin.allowed.hosts}
 */
public record AdminConfig(
        IdentitySource identitySource,
        Optional<URI> publicUrl,
        Duration sessionIdle,
        Duration sessionMax,
        Duration credentialCache,
        int loginMaxFailures,
        Duration loginWindow,
        Set<String> hostNames) {
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

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
        hostNames = Set.copyOf(hostNames);
    }

    /**
     * Whether the admin plane answers to {@code host}, the name a request's {@code Host} gives
     * (without its port): an IP address, {@code localhost} or one of {@link #hostNames}. A page
     * cannot be served from an IP address or {@code localhost} under a name an attacker controls,
     * so only other names need listing. A request without a name (HTTP/1.0) is no browser's.
     */
    public boolean answersTo(String host) {
        if (host == null || host.isEmpty()) {
            return true;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1); // the same name, fully qualified
        }
        return name.equals("localhost") || isAddress(name) || hostNames.contains(name);
    }

    /** Whether {@code host} is an IP address (IPv6 in brackets, as in a URL or a Host), not a name. */
    public static boolean isAddress(String host) {
        return host.startsWith("[") || host.contains(":") || IPV4.matcher(host).matches();
    }

    /** What the admin plane answers to, in words, for the log and {@code config check}. */
    public String describeNames() {
        return "IP addresses, localhost"
                + (hostNames.isEmpty() ? "" : " and " + String.join(", ", new TreeSet<>(hostNames)));
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
