package io.tokengate.server.users;

import io.tokengate.server.gateway.UpstreamIdentity;
import io.tokengate.server.http.TrustedCertificates;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Jira accepts {@code upstream.identity}'s service account: for {@code config check}, and
 * for {@link JiraUserDirectory} when Jira refuses to answer about a user through it. With
 * credentials Jira refuses, Jira refuses every forwarded request, and in Jira mode no user is
 * known to tokengate: its sessions are signed out and run-as is refused. That shows only as 401s,
 * one request at a time, unless somebody asks.
 *
 * <p>Asked as the account itself ({@code GET /rest/api/2/myself} without {@code contextUser}), so
 * that a refusal is the account's, not some user's.
 */
public final class ServiceAccountCheck {
    private ServiceAccountCheck() {}

    /**
     * What is wrong with the service account, or empty when Jira accepts it, when {@code identity}
     * has none, or when Jira cannot be asked (which the caller's reachability check reports).
     */
    public static Optional<String> problem(
            URI upstream, Optional<TrustedCertificates> trust, UpstreamIdentity identity, Duration timeout) {
        if (identity.ownAuthorization().isEmpty()) {
            return Optional.empty();
        }
        return problem(
                new JiraRest(
                        upstream, trust, timeout, timeout, "to check the service account", IllegalStateException::new),
                identity);
    }

    /** The same, through a client of Jira the caller already has. */
    static Optional<String> problem(JiraRest jira, UpstreamIdentity identity) {
        Optional<String> authorization = identity.ownAuthorization();
        if (authorization.isEmpty()) {
            return Optional.empty();
        }
        HttpResponse<byte[]> myself;
        try {
            myself = jira.get("/rest/api/2/myself", Map.of("Authorization", authorization.get()));
        } catch (RuntimeException unreachable) { // the client's exception for "Jira cannot be asked"
            return Optional.empty();
        }
        int status = myself.statusCode();
        if (status != 401 && status != 403) {
            return Optional.empty();
        }
        String reason = myself.headers()
                .firstValue("X-Seraph-LoginReason")
                .map(r -> ", " + r
                        + (r.contains("AUTHENTICATION_DENIED")
                                ? ": Jira wants a CAPTCHA answered first, signing in once in a browser clears it"
                                : ""))
                .orElse("");
        return Optional.of("upstream.identity: Jira refuses the service account (" + status + " to "
                + "/rest/api/2/myself" + reason + "): every forwarded request would be refused; check"
                + " upstream.service.user and upstream.service.password, or upstream.service.token");
    }
}
