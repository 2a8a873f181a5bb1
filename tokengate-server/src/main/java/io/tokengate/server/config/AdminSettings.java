package io.tokengate.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The admin plane's settings ({@code identity.source}, {@code admin.*}, the login throttle) as an
 * {@link AdminConfig}, with the host names the plane answers to: those allowed, its own host when
 * that is a name, and its public URL's.
 */
final class AdminSettings {
    private AdminSettings() {}

    /** @param loginMaxFailures {@code login.max.failures} and {@code loginWindow}, as the loader read them for both planes */
    static AdminConfig read(ConfigValues values, int loginMaxFailures, Duration loginWindow) {
        String source = values.value(Key.IDENTITY_SOURCE).toLowerCase(Locale.ROOT);
        AdminConfig.IdentitySource identitySource = AdminConfig.IdentitySource.LOCAL;
        switch (source) {
            case "local" -> identitySource = AdminConfig.IdentitySource.LOCAL;
            case "jira" -> {
                identitySource = AdminConfig.IdentitySource.JIRA;
                if (values.get(Key.UPSTREAM_URL).isEmpty()) {
                    values.problem(
                            "identity.source=jira needs upstream.url: users sign in with their Jira credentials");
                }
            }
            default -> values.problem(
                    Key.IDENTITY_SOURCE, "identity.source: unknown source '" + source + "' (expected local, jira)");
        }
        Optional<URI> publicUrl =
                values.get(Key.ADMIN_PUBLIC_URL).flatMap(u -> UrlSettings.httpUrl(values, Key.ADMIN_PUBLIC_URL, u));
        Set<String> hostNames = values.list(Key.ADMIN_ALLOWED_HOSTS, name -> name.toLowerCase(Locale.ROOT));
        hostNames.stream()
                .filter(name -> !name.matches("[a-z0-9.\\-]+"))
                .forEach(name -> values.problem(
                        Key.ADMIN_ALLOWED_HOSTS,
                        Key.ADMIN_ALLOWED_HOSTS.key() + ": '" + name + "' is not a host name (no port, no scheme)"));
        String adminHost = values.value(Key.ADMIN_HOST).toLowerCase(Locale.ROOT);
        if (!AdminConfig.isAddress(adminHost)) {
            hostNames.add(adminHost);
        }
        publicUrl.map(URI::getHost).ifPresent(host -> hostNames.add(host.toLowerCase(Locale.ROOT)));
        return new AdminConfig(
                identitySource,
                publicUrl,
                Duration.ofMinutes(values.integer(Key.ADMIN_SESSION_IDLE_MINUTES, 1, 7 * 24 * 60)),
                Duration.ofHours(values.integer(Key.ADMIN_SESSION_MAX_HOURS, 1, 24 * 90)),
                Duration.ofSeconds(values.integer(Key.ADMIN_CREDENTIAL_CACHE_SECONDS, 0, 3600)),
                loginMaxFailures,
                loginWindow,
                hostNames);
    }
}
