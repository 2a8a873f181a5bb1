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
    private static final String MYSELF = "/rest/api/2/myself";

    private ServiceAccountCheck() {}

    /**
     * What {@code config check} says of the service account (or the account that only looks users
     * up, in {@code user-credential} mode): a problem when Jira refuses it, a
     * warning when Jira's answer neither takes nor refuses it (a 302 to a single-sign-on login page,
     * a 500), nothing when Jira takes it, when {@code identity} has none, or when Jira cannot be
     * asked (which the caller's reachability check reports).
     */
    public static Optional<Finding> check(
            URI upstream, Optional<TrustedCertificates> trust, UpstreamIdentity identity, Duration timeout) {
        Optional<String> account = identity.lookupAuthorization();
        if (account.isEmpty()) {
            return Optional.empty();
        }
        JiraRest jira = new JiraRest(
                upstream, trust, timeout, timeout, "to check the service account", IllegalStateException::new);
        boolean forwards = identity.ownAuthorization().isPresent();
        return ask(jira, account.get()).flatMap(myself -> {
            if (myself.statusCode() == 200) {
                return Optional.empty();
            }
            return Optional.of((forwards ? refusal(myself) : lookupRefusal(myself))
                    .map(refused -> new Finding(true, refused))
                    .orElseGet(() -> new Finding(
                            false,
                            "upstream.identity: Jira answered " + myself.statusCode() + " to " + MYSELF
                                    + " as the service account, neither taking nor refusing it: cannot tell whether"
                                    + " it takes upstream.service.user and upstream.service.password (or"
                                    + " upstream.service.token); forwarded requests may get the same answer")));
        });
    }

    /** A finding of {@link #check}: a problem, or only a warning. */
    public record Finding(boolean problem, String message) {}

    /**
     * What is wrong with the service account, or empty when Jira does not refuse it, when {@code
     * identity} has none, or when Jira cannot be asked; through a client of Jira the caller already
     * has.
     */
    static Optional<String> problem(JiraRest jira, UpstreamIdentity identity) {
        return identity.ownAuthorization()
                .flatMap(authorization -> ask(jira, authorization))
                .flatMap(ServiceAccountCheck::refusal);
    }

    /** Jira's answer to the account itself; empty when Jira cannot be asked. */
    private static Optional<HttpResponse<byte[]>> ask(JiraRest jira, String authorization) {
        try {
            return Optional.of(jira.get(MYSELF, Map.of("Authorization", authorization)));
        } catch (RuntimeException unreachable) { // the client's exception for "Jira cannot be asked"
            return Optional.empty();
        }
    }

    /**
     * What a 401 or 403 says of the account that only looks users up ({@code user-credential}):
     * forwarding goes on, but Jira's deactivated and deleted users cannot be told from credentials
     * it refuses.
     */
    private static Optional<String> lookupRefusal(HttpResponse<byte[]> myself) {
        int status = myself.statusCode();
        if (status != 401 && status != 403) {
            return Optional.empty();
        }
        return Optional.of("upstream.service.*: Jira refuses the account that looks users up (" + status + " to "
                + MYSELF + "): users Jira deactivated or deleted cannot be told from credentials it refuses; check"
                + " upstream.service.user and upstream.service.password, or upstream.service.token, or remove them");
    }

    /** What a 401 or 403 says of the account; empty for any other answer. */
    private static Optional<String> refusal(HttpResponse<byte[]> myself) {
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
                + MYSELF + reason + "): every forwarded request would be refused; check"
                + " upstream.service.user and upstream.service.password, or upstream.service.token");
    }
}
