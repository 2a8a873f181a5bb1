package io.tokengate.server.config;

import io.tokengate.core.token.IpAllowList;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.gateway.RefusedNames;
import io.tokengate.server.gateway.UpstreamIdentity;
import io.tokengate.server.http.TrustedCertificates;
import io.tokengate.store.StoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration, loaded once and validated by {@link ConfigLoader}.
 *
 * @param logDir where {@code serve} and {@code demo} write JSON Lines log files; empty for standard
 *     error only
 * @param publicUrl the configured external URL; empty means where the data plane listens ({@link
 *     #publicUrlOrListening})
 * @param gatewayTls the data plane's certificate and key; empty for plain HTTP
 * @param adminTls the admin plane's certificate and key; empty for plain HTTP
 * @param tlsCheck how often the keystore files are checked for renewed certificates; zero for
 *     never
 * @param refused the headers and parameters refused besides the gateway's own ({@code
 *     gateway.refused.headers}, {@code gateway.refused.parameters})
 * @param upstream empty only for commands that do not serve
 * @param upstreamTrust the certificates Jira's must chain to; empty for the JVM's
 * @param responseTimeout longest one upstream exchange may take; zero for no limit
 * @param admin the admin plane's sign-in settings
 * @param settings every setting with its effective value and source, for {@code GET
 *     /api/v1/settings}; secrets are masked by {@link EffectiveSetting#shownValue()}
 */
public record TokengateConfig(
        Path home,
        Optional<Path> logDir,
        String gatewayHost,
        int gatewayPort,
        Optional<String> publicUrl,
        Optional<TlsKeystore> gatewayTls,
        Optional<TlsKeystore> adminTls,
        Duration tlsCheck,
        List<String> endpoints,
        List<String> excludedEndpoints,
        RefusedNames refused,
        IpAllowList trustedProxies,
        String adminHost,
        int adminPort,
        Optional<URI> upstream,
        Optional<TrustedCertificates> upstreamTrust,
        UpstreamIdentity identity,
        boolean acceptBasic,
        boolean acceptBearer,
        Set<String> runAsGroups,
        int bodyInspectMax,
        long bodyInspectMemory,
        Duration bodyInspectTimeout,
        int loginMaxFailures,
        Duration loginWindow,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration responseTimeout,
        Duration auditReserveWait,
        StoreConfig store,
        AdminConfig admin,
        List<EffectiveSetting> settings) {
    public TokengateConfig {
        settings = List.copyOf(settings);
    }

    /**
     * The URL restrictions match: {@code gateway.public.url}, or where the data plane listens,
     * {@code http(s)://HOST:PORT} of {@code gateway.host} and {@code gateway.port} ({@code
     * localhost} when it listens on every address), as the server computes it once bound. It is
     * {@code https://} whenever {@code gateway.tls.keystore} is set, also for the commands that
     * work offline, which do not open the keystore: their code snippets and checks then show the
     * URL the server will answer at.
     */
    public String publicUrlOrListening() {
        if (publicUrl.isPresent()) {
            return publicUrl.get();
        }
        boolean tls = gatewayTls.isPresent()
                || settings.stream()
                        .anyMatch(s -> s.key() == Key.GATEWAY_TLS_KEYSTORE
                                && !s.value().isBlank());
        return (tls ? "https" : "http") + "://" + urlHost(gatewayHost) + ":" + gatewayPort;
    }

    /**
     * How a URL names a server that listens on {@code host}: {@code localhost} for every address
     * (none, {@code 0.0.0.0} or {@code ::}), an IPv6 address in brackets.
     */
    public static String urlHost(String host) {
        if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
            return "localhost";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /**
     * The data plane's settings, once it is bound (its port may have been 0: any free port).
     *
     * @param boundUrl where the data plane listens, the public URL unless one is configured
     */
    public GatewayConfig gateway(String boundUrl) {
        return gateway(boundUrl, null);
    }

    /**
     * The data plane's settings, once both planes are bound.
     *
     * @param boundUrl where the data plane listens, the public URL unless one is configured
     * @param adminUrl where the admin plane listens, for the commands the log suggests
     */
    public GatewayConfig gateway(String boundUrl, String adminUrl) {
        URI target = upstream.orElseThrow(() -> new ConfigException(List.of("upstream.url is not set")));
        return new GatewayConfig(
                publicUrl.orElse(boundUrl),
                endpoints,
                excludedEndpoints,
                refused,
                target,
                upstreamTrust,
                identity,
                acceptBasic,
                acceptBearer,
                bodyInspectMax,
                bodyInspectMemory,
                bodyInspectTimeout,
                connectTimeout,
                idleTimeout,
                responseTimeout,
                trustedProxies,
                loginMaxFailures,
                loginWindow,
                auditReserveWait,
                runAsGroups,
                store.nodeId(),
                adminUrl);
    }

    public boolean secureMode() {
        return store.secureMode();
    }
}
