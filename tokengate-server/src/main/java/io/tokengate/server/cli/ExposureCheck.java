package io.tokengate.server.cli;

import io.tokengate.core.Loopback;
import io.tokengate.server.config.TlsKeystore;
import io.tokengate.server.config.TokengateConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code config check}'s look at how the two planes meet their clients: the gateway's public URL
 * and whether tokens would cross the network in clear text, an admin plane reachable from the
 * network and the names it answers to, and each plane's certificate (the host it names, when it
 * expires).
 */
final class ExposureCheck {
    /** A certificate expiring this soon is worth a warning. */
    private static final Duration CERTIFICATE_NOTICE = Duration.ofDays(30);

    private ExposureCheck() {}

    /** The data plane: its public URL, whether tokens cross the network in clear text, its certificate. */
    static void checkDataPlane(TokengateConfig config, List<String> warnings) {
        if (config.publicUrl().isEmpty()) {
            warnings.add("gateway.public.url is not set: restrictions will match " + config.publicUrlOrListening()
                    + "/…; set it to the URL clients use");
            // Clients then reach the gateway where it listens: by default every address.
            if (config.gatewayTls().isEmpty() && !Loopback.is(config.gatewayHost())) {
                warnings.add("the data plane listens on " + config.gatewayHost() + " (gateway.host) in plain HTTP:"
                        + " tokens would cross the network in clear text; put a TLS terminator in front and set"
                        + " gateway.public.url=https://…, set gateway.tls.keystore, or gateway.host=127.0.0.1");
            }
        } else if (config.gatewayTls().isEmpty()) {
            URI url = URI.create(config.publicUrl().get());
            if ("http".equalsIgnoreCase(url.getScheme()) && !Loopback.is(url.getHost())) {
                warnings.add("gateway.public.url is plain http: tokens would cross the network in clear text;"
                        + " put a TLS terminator in front and use https, or set gateway.tls.keystore");
            }
        }
        checkTls(
                config.gatewayTls(),
                "gateway.public.url",
                config.publicUrl().map(URI::create),
                "restrictions match the URLs clients use",
                warnings);
    }

    /** The admin plane: whether the network reaches it, the names it answers to, its certificate. */
    static void checkAdminPlane(TokengateConfig config, List<String> warnings) {
        if (!Loopback.is(config.adminHost())) {
            warnings.add("admin.host is " + config.adminHost() + ": the admin plane is reachable from the network"
                    + (config.adminTls().isPresent()
                            ? ""
                            : "; passwords cross it in clear text unless TLS ends in front of it or"
                                    + " admin.tls.keystore is set"));
            warnings.add("the admin plane answers only to " + config.admin().describeNames()
                    + ": reaching it by another name, or through a proxy that passes a Host of its own"
                    + " (nginx's proxy_pass http://NAME), needs that name in admin.allowed.hosts");
        }
        checkTls(
                config.adminTls(),
                "admin.public.url",
                config.admin().publicUrl(),
                "the session cookie is Secure only then",
                warnings);
    }

    /**
     * What a client would make of a plane's certificate, when it has one: whether {@code
     * publicUrl} (if set) is {@code https://} and the certificate names its host, and how soon
     * the certificate expires.
     *
     * @param why why the URL should be {@code https://}
     */
    private static void checkTls(
            Optional<TlsKeystore> keystore,
            String urlSetting,
            Optional<URI> publicUrl,
            String why,
            List<String> warnings) {
        if (keystore.isEmpty()) {
            return;
        }
        TlsKeystore tls = keystore.get();
        publicUrl.ifPresent(url -> {
            if (!"https".equals(url.getScheme())) {
                warnings.add(tls.setting() + " is set but " + urlSetting + " is " + url + ": " + why
                        + ", so make it https://…");
            } else if (!tls.names(url.getHost())) {
                warnings.add("the certificate in " + tls.setting() + " does not name " + url.getHost()
                        + " (it names " + String.join(", ", tls.names()) + "): clients will refuse it, and"
                        + " requests naming that host get 400");
            }
        });
        Instant expires = tls.expires();
        if (expires.isBefore(Instant.now().plus(CERTIFICATE_NOTICE))) {
            warnings.add("the certificate in " + tls.setting() + " expires " + expires
                    + ": renew it (the new one is served without a restart)");
        }
    }
}
