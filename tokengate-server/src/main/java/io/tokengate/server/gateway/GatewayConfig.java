package io.tokengate.server.gateway;

import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.token.IpAllowList;
import io.tokengate.server.http.TrustedCertificates;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the data plane, already validated by the configuration loader.
 *
 * @param publicUrl the gateway's external base URL, no trailing slash; restrictions match URLs
 *     that start with it, never with the request's Host header
 * @param endpoints path prefixes that are served, e.g. {@code /rest/}; everything else is 404
 * @param excludedEndpoints path prefixes within them that are not served (404), e.g. {@code
 *     /rest/pat/}
 * @param refused the headers and parameters refused besides the gateway's own
 * @param upstream where requests go, possibly with a context path ({@code https://jira/jira})
 * @param upstreamTrust the certificates the upstream's must chain to; empty for the JVM's
 * @param acceptBasic whether {@code Authorization: Basic USER:TOKEN} is accepted
 * @param acceptBearer whether {@code Authorization: Bearer TOKEN} is accepted (bound tokens only)
 * @param bodyInspectMax largest body read for JSON conditions; larger bodies get 413
 * @param bodyInspectMemory most bytes of bodies held for JSON conditions, all requests together
 *     ({@link InspectionMemory}); at least {@code bodyInspectMax}
 * @param bodyInspectTimeout longest such a body may take to arrive, from its first read; zero for
 *     no limit
 * @param idleTimeout longest silence from the upstream, before or during a response
 * @param responseTimeout longest one upstream exchange may take, from sending the request to the
 *     end of the response, however steadily bytes come; zero for no limit
 * @param trustedProxies addresses whose X-Forwarded-For is believed (a load balancer in front)
 * @param loginMaxFailures failed logins per client address and window before 429 (0 = off)
 * @param auditReserveWait how long a request waits for room in the audit queue before 503
 * @param runAsGroups groups whose members may use {@code contextUser}, besides admins; kept as
 *     {@link UserDirectory#groupKeys} gives them
 * @param adminUrl where this server's admin plane answers, for the commands its log suggests;
 *     null where none runs beside the gateway (a command line offline)
 */
public record GatewayConfig(
        String publicUrl,
        List<String> endpoints,
        List<String> excludedEndpoints,
        RefusedNames refused,
        URI upstream,
        Optional<TrustedCertificates> upstreamTrust,
        UpstreamIdentity identity,
        boolean acceptBasic,
        boolean acceptBearer,
        int bodyInspectMax,
        long bodyInspectMemory,
        Duration bodyInspectTimeout,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration responseTimeout,
        IpAllowList trustedProxies,
        int loginMaxFailures,
        Duration loginWindow,
        Duration auditReserveWait,
        Set<String> runAsGroups,
        String nodeId,
        String adminUrl) {

    /**
     * The longest request head (request line and headers) the gateway reads, in bytes; longer
     * ones get 414 or 431. The audit keeps a target of this length whole ({@code AuditEvent.PATH}).
     */
    public static final int MAX_REQUEST_HEAD = 16 * 1024;

    /**
     * The longest upstream response head the gateway forwards, in bytes; a longer one is a bad
     * response (502), refused before anything is sent, so that the client, the audit record and
     * the metrics all see the same status. The data plane can send twice this, with its own
     * headers added.
     */
    public static final int MAX_RESPONSE_HEAD = 16 * 1024;

    public GatewayConfig {
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(upstreamTrust, "upstreamTrust");
        Objects.requireNonNull(identity, "identity");
        if (bodyInspectMemory < bodyInspectMax) {
            throw new IllegalArgumentException(
                    "bodyInspectMemory " + bodyInspectMemory + " is less than bodyInspectMax " + bodyInspectMax);
        }
        if (bodyInspectTimeout.isNegative()) {
            throw new IllegalArgumentException("bodyInspectTimeout must not be negative: " + bodyInspectTimeout);
        }
        if (responseTimeout.isNegative()) {
            throw new IllegalArgumentException("responseTimeout must not be negative: " + responseTimeout);
        }
        if (publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
        endpoints = List.copyOf(endpoints);
        excludedEndpoints = List.copyOf(excludedEndpoints);
        runAsGroups = UserDirectory.groupKeys(runAsGroups);
        if (endpoints.isEmpty() || endpoints.stream().anyMatch(e -> !e.startsWith("/"))) {
            throw new IllegalArgumentException("endpoints must be path prefixes starting with '/': " + endpoints);
        }
        if (excludedEndpoints.stream().anyMatch(e -> !e.startsWith("/"))) {
            throw new IllegalArgumentException(
                    "excluded endpoints must be path prefixes starting with '/': " + excludedEndpoints);
        }
    }

    /** Whether a request for {@code path} is served: under an endpoint, and not under an excluded one. */
    public boolean serves(CanonicalPath path) {
        return serves(endpoints, excludedEndpoints, path);
    }

    /**
     * {@link #serves(CanonicalPath)} for these endpoints, for a dry run that has no gateway. An
     * excluded endpoint keeps out its path in any case ({@link CanonicalPath#isUnderIgnoringCase}):
     * Jira dispatches {@code /rest/PAT/} to the same module as {@code /rest/pat/}.
     */
    public static boolean serves(List<String> endpoints, List<String> excludedEndpoints, CanonicalPath path) {
        return endpoints.stream().anyMatch(path::isUnder)
                && excludedEndpoints.stream().noneMatch(path::isUnderIgnoringCase);
    }
}
