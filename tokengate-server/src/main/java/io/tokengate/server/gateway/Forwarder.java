package io.tokengate.server.gateway;

import io.tokengate.core.audit.AuditDecision;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of an allowed request: hands it to the {@link UpstreamProxy} with what the proxy
 * needs to know ({@link UpstreamProxy.Target}: the exchange, and the user's own upstream
 * credential when the identity needs one), counts the bytes both ways, and audits the request
 * once its response has been streamed back, or has failed. From here on a refusal is possible
 * only for want of that stored credential (403); everything else the upstream answers is the
 * client's answer.
 */
final class Forwarder {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final GatewayConfig config;
    private final UserDirectory users;
    private final UpstreamProxy proxy;
    private final Refusals refusals;

    Forwarder(GatewayConfig config, UserDirectory users, UpstreamProxy proxy, Refusals refusals) {
        this.config = config;
        this.users = users;
        this.proxy = proxy;
        this.refusals = refusals;
    }

    /** Forwards the request, allowed for {@code reason}, and audits how it ended. */
    void forward(Exchange exchange, Request request, Response response, Callback callback, String reason) {
        String credential = null;
        if (config.identity().needsUserCredential()) {
            credential = users.find(exchange.effectiveUser)
                    .flatMap(UserDirectory.DirectoryUser::upstreamCredential)
                    .orElse(null);
            if (credential == null) {
                refusals.refuse(
                        exchange,
                        response,
                        callback,
                        HttpStatus.FORBIDDEN_403,
                        "No upstream credential is stored for user " + exchange.effectiveUser + ".",
                        "no upstream credential for " + exchange.effectiveUser);
                return;
            }
        }
        exchange.counts = new CountingExchange();
        Request counted = exchange.counts.request(request);
        Response countedResponse = exchange.counts.response(request, response);
        counted.setAttribute(UpstreamProxy.EXCHANGE, new UpstreamProxy.Target(exchange, credential));
        exchange.upstreamStartNanos = System.nanoTime();
        Callback audited = Callback.from(
                () -> {
                    int status = response.getStatus();
                    exchange.audit(
                            AuditDecision.ALLOW,
                            status,
                            status == HttpStatus.UNAUTHORIZED_401 ? reason + upstreamRefused(exchange) : reason);
                    callback.succeeded();
                    tellDirectory(exchange, status);
                },
                failure -> {
                    // Uncommitted, the response becomes Jetty's 500. Only the failure's kind is
                    // recorded: its message may quote the upstream request.
                    int status = response.isCommitted() ? response.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR_500;
                    exchange.audit(
                            AuditDecision.ALLOW,
                            status,
                            reason + "; response failed: " + failure.getClass().getSimpleName());
                    callback.failed(failure);
                });
        try {
            if (!proxy.handle(counted, countedResponse, audited)) {
                audited.failed(new IllegalStateException("upstream proxy did not handle the request"));
            }
        } catch (Exception e) {
            audited.failed(e);
        }
    }

    /**
     * For the audit record of a call Jira answered 401: when it ran as the user a token is bound
     * to, the likely cause and the remedy. Jira refuses a user it deleted or deactivated as it
     * refuses a wrong credential, and the token would act again for whoever is given the name
     * later. The cause is Jira's own word when a fresh answer about the user is at hand; else what
     * the identity mode makes likely, and Jira is asked in the background, so that the next call
     * (refused here if Jira says the user is gone) and token listings know.
     */
    private String upstreamRefused(Exchange exchange) {
        Optional<String> bound = boundUser(exchange);
        if (bound.isEmpty()) {
            return "";
        }
        String user = bound.get();
        Optional<String> known;
        try {
            known = users.refusedNow(user);
        } catch (RuntimeException e) { // the record is written all the same, with the likely cause
            LOG.warn("the user directory could not say why Jira refused {}: {}", user, e.toString());
            known = Optional.empty();
        }
        String cause = known.orElseGet(() -> likelyCause(user));
        return "; Jira refused the call as " + user + " (401): " + cause + "; " + UserGone.remedy(user);
    }

    /**
     * Tells the user directory how Jira answered a call made as the token's user: that it took it,
     * or (401) that the directory should find out why not. After the call is audited and answered,
     * which a directory that fails here must not undo.
     */
    private void tellDirectory(Exchange exchange, int status) {
        Optional<String> bound = boundUser(exchange);
        if (bound.isEmpty() || (status >= 400 && status != HttpStatus.UNAUTHORIZED_401)) {
            return;
        }
        try {
            if (status < 400) {
                users.upstreamAccepted(bound.get());
            } else {
                users.learnAbout(bound.get());
            }
        } catch (RuntimeException e) {
            LOG.warn("the user directory failed after Jira answered {} as {}: {}", status, bound.get(), e.toString());
        }
    }

    /** The user the token is bound to, when the call ran as them (not as another, by run-as). */
    private static Optional<String> boundUser(Exchange exchange) {
        return exchange.token == null || exchange.runBy != null
                ? Optional.empty()
                : exchange.token.token().boundUser();
    }

    private String likelyCause(String user) {
        UpstreamIdentity identity = config.identity();
        if (identity.needsUserCredential()) {
            return "the upstream credential stored for " + user + " expired or was revoked in Jira (" + user
                    + " stores a new one on their account page), or Jira deleted or deactivated " + user;
        }
        if (identity.ownAuthorization().isPresent()) {
            return "Jira deleted or deactivated " + user + ", or refuses the service account"
                    + " (tokengate config check tells)";
        }
        return "Jira deleted or deactivated " + user + ", most likely";
    }
}
