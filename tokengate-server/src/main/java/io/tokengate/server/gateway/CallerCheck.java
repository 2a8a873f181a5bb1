package io.tokengate.server.gateway;

import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.SecretScanner;
import io.tokengate.core.token.TokenService;
import io.tokengate.server.http.RequestIds;
import io.tokengate.server.http.RetryAfter;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Who is calling, and whether they may call now, for a request that presents credentials and
 * has passed the screen: failed-login throttling per client address (429), the token (one 401
 * for every reason, counted as a failed login), a token whose user Jira said it deactivated or
 * deleted (401 too, not counted: the secret was right), the token's allowed client addresses (403),
 * {@code contextUser} run-as (403), an effective user the upstream can be told unambiguously
 * (400, 403), and the token's rate limit ({@link TokenRateLimiter}: 429). The order is the
 * contract: a throttled address learns nothing about a token, and a request refused for its
 * address or run-as still counts as the token's use.
 */
final class CallerCheck {
    /** Logged under the handler's name: operators filter the data plane's log lines by it. */
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final GatewayConfig config;
    private final TokenService tokens;
    private final TokenAuthenticator authenticator;
    private final LoginThrottle throttle;
    private final TokenRateLimiter rates;
    private final Refusals refusals;

    CallerCheck(
            GatewayConfig config,
            TokenService tokens,
            TokenAuthenticator authenticator,
            LoginThrottle throttle,
            TokenRateLimiter rates,
            Refusals refusals) {
        this.config = config;
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.rates = rates;
        this.refusals = refusals;
    }

    /**
     * Whether the caller behind {@code authorization} may make this request; if not, it has been
     * refused and audited. When admitted, {@code exchange} holds the token and the effective user.
     */
    boolean admits(Exchange exchange, Request request, Response response, Callback callback, String authorization) {
        long blocked = throttle.blockedForSeconds(exchange.clientIp);
        if (blocked > 0 && !throttle.vouchedFor(exchange.clientIp, authorization)) {
            authenticator.namePresented(exchange, authorization);
            refusals.refuseForNow(
                    exchange,
                    response,
                    callback,
                    HttpStatus.TOO_MANY_REQUESTS_429,
                    blocked,
                    "Too many failed logins from this address; retry in " + blocked + " s.",
                    "login throttled");
            return false;
        }
        Optional<String> failure = authenticator.authenticate(exchange, authorization);
        if (failure.isPresent()) {
            if (throttle.recordFailure(exchange.clientIp)) {
                RequestIds.log(LOG, Level.WARN, exchange.requestId).log(
                        "{}: client address {} throttled after {} failed logins: 429 until {} s after its last"
                                + " failure, except for tokens that worked from it since its first."
                                + " To lift it: {}",
                        exchange.requestId,
                        exchange.clientIp,
                        config.loginMaxFailures(),
                        config.loginWindow().toSeconds(),
                        LoginThrottle.liftCommand(exchange.clientIp, "data", config.adminUrl()));
            }
            refusals.unauthorized(exchange, response, callback, failure.get());
            return false;
        }
        throttle.succeeded(exchange.clientIp, authorization);
        tokens.recordUse(exchange.token.id(), exchange.clientIp);
        Optional<String> gone = authenticator.boundUserGone(exchange);
        if (gone.isPresent()) {
            // Not a failed login: the secret was right, so no guess to throttle.
            refusals.unauthorized(exchange, response, callback, gone.get());
            return false;
        }
        if (!authenticator.clientAllowed(exchange)) {
            refusals.refuse(
                    exchange,
                    response,
                    callback,
                    HttpStatus.FORBIDDEN_403,
                    "This token may not be used from this address.",
                    "client address " + exchange.clientIp + " not allowed");
            return false;
        }
        Optional<String> runAs = authenticator.runAs(exchange, request);
        if (runAs.isPresent()) {
            refusals.refuse(exchange, response, callback, HttpStatus.FORBIDDEN_403, runAs.get(), runAs.get());
            return false;
        }
        if (SecretScanner.containsSecret(exchange.effectiveUser)) {
            // An unbound token's Basic user, or a contextUser: either would reach the upstream,
            // and its logs, as the name of the user.
            refusals.refuse(
                    exchange,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    "A tokengate token as a user name would be passed to the upstream and written to its logs:"
                            + " send a token only as the password, and rotate the one you sent.",
                    "token secret as the user name");
            return false;
        }
        Optional<String> unnameable = config.identity().cannotName(exchange.effectiveUser);
        if (unnameable.isPresent()) {
            refusals.refuse(
                    exchange,
                    response,
                    callback,
                    HttpStatus.FORBIDDEN_403,
                    "This user cannot be passed to the upstream unambiguously: " + unnameable.get()
                            + " (only printable ASCII names are supported).",
                    "effective user cannot be named upstream: " + unnameable.get());
            return false;
        }
        return withinRateLimit(exchange, response, callback);
    }

    /** Counts the request against the token's rate limit, or refuses it with 429 beyond it. */
    private boolean withinRateLimit(Exchange exchange, Response response, Callback callback) {
        Optional<RateLimit> limit = exchange.token.token().rateLimit();
        if (limit.isEmpty()) {
            return true;
        }
        long waitNanos = rates.take(exchange.token.id(), limit.get());
        if (waitNanos == 0) {
            return true;
        }
        long seconds = RetryAfter.seconds(waitNanos);
        refusals.refuseForNow(
                exchange,
                response,
                callback,
                HttpStatus.TOO_MANY_REQUESTS_429,
                seconds,
                "This token's rate limit is " + limit.get() + "; retry in " + seconds + " s.",
                "rate limit " + limit.get() + " exceeded");
        return false;
    }
}
