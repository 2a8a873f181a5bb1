package io.tokengate.server.gateway;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.limits.Decision;
import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.request.MalformedRequestException;
import io.tokengate.core.request.QueryString;
import io.tokengate.core.token.RateExchange;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.SecretScanner;
import io.tokengate.core.token.TokenService;
import io.tokengate.core.token.VerifiedToken;
import io.tokengate.server.http.CredentialKeepingHttpConnectionFactory;
import io.tokengate.server.http.ErrorResponse;
import io.tokengate.server.http.RequestIds;
import io.tokengate.server.request.GatewayRequestView;
import io.tokengate.server.request.JsonBody;
import io.tokengate.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Decides on every data-plane request, in this order, and forwards the allowed ones:
 *
 * <ol>
 *   <li>with credentials, room in the audit queue, or 503: from here on the request is audited,
 *       whatever happens;
 *   <li>the {@link RequestScreen}: methods never forwarded (405), method-override headers, a
 *       client copy of the identity header, framing and header names two servers could read
 *       differently (400);
 *   <li>canonical path and query ({@link CanonicalPath}, {@link QueryString}): 400;
 *   <li>outside {@code gateway.endpoints}: 404, never forwarded;
 *   <li>no credentials: 401 (not audited: nobody to attribute it to);
 *   <li>failed-login throttling per client address: 429;
 *   <li>the token: missing, malformed, unknown, expired, revoked, wrong user: one 401 for all;
 *   <li>the token's allowed client addresses: 403;
 *   <li>{@code contextUser} run-as, for admins and {@code runas.groups}: 403;
 *   <li>the token's rate limit, if it has one ({@link TokenRateLimiter}): 429 with {@code
 *       Retry-After};
 *   <li>the token's restrictions, reading the body only when a JSON condition needs it ({@link
 *       BodyRules}: 413, 415): 403;
 *   <li>forward, stream the response back, audit with status, bytes and upstream time.
 * </ol>
 *
 * Store trouble fails closed with 503 and {@code Retry-After}; anything unexpected is a 500 that is
 * still audited.
 */
public final class GatewayHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
    private static final long RETRY_UNAVAILABLE_SECONDS = 1;

    private final GatewayConfig config;
    private final RequestObserver observer;
    private final TokenService tokens;
    private final AuditSink audit;
    private final UserDirectory users;
    private final LoginThrottle throttle;
    private final TokenRateLimiter rates;
    private final Clock clock;
    private final String challenge;
    private final String unauthorizedMessage;
    private final RequestScreen screen;
    private final TokenAuthenticator authenticator;
    private final RefusalWarning noWorker;
    private final RefusalWarning storeUnavailable;
    private final RefusalWarning auditQueueFull;
    private final RefusalWarning directoryUnavailable;

    public GatewayHandler(
            GatewayConfig config,
            TokenService tokens,
            AuditSink audit,
            UserDirectory users,
            RequestObserver observer,
            Clock clock) {
        super(new UpstreamProxy(config));
        this.observer = observer;
        this.config = config;
        this.tokens = tokens;
        this.audit = audit;
        this.users = users;
        this.clock = clock;
        this.throttle = new LoginThrottle(config.loginMaxFailures(), config.loginWindow(), clock);
        this.rates = new TokenRateLimiter(clock);
        this.challenge =
                config.acceptBasic() ? "Basic realm=\"tokengate\", charset=\"UTF-8\"" : "Bearer realm=\"tokengate\"";
        this.unauthorizedMessage = "Missing or invalid credentials: use "
                + (config.acceptBasic() ? "Basic USER:TOKEN" : "Bearer TOKEN") + ".";
        this.screen = new RequestScreen(config.identity());
        this.authenticator = new TokenAuthenticator(config, tokens, users, clock);
        this.noWorker = new RefusalWarning(LOG, HttpStatus.SERVICE_UNAVAILABLE_503, "no worker thread free");
        this.storeUnavailable = new RefusalWarning(LOG, HttpStatus.SERVICE_UNAVAILABLE_503, "store unavailable");
        this.auditQueueFull = new RefusalWarning(LOG, HttpStatus.SERVICE_UNAVAILABLE_503, "audit queue full");
        this.directoryUnavailable = new RefusalWarning(LOG, HttpStatus.BAD_GATEWAY_502, "user lookup failed");
    }

    /** The rate limits' counts, for the nodes of a cluster to exchange. */
    public RateExchange rateExchange() {
        return rates;
    }

    /**
     * The failed logins per client address: for the nodes of a cluster to add up, and for admins
     * to see and lift.
     */
    public LoginThrottle loginFailures() {
        return throttle;
    }

    /**
     * Never blocks: a request whose token and audit room are at hand is decided and forwarded on
     * the thread that read it (see {@link #handle}); any other is handed to a worker first.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /**
     * Decides on the request. The usual one, a cached token with room in the audit queue, is
     * decided and forwarded right here on Jetty's selector thread, without a hand-over to a worker
     * (measured in {@code bench/README.md}, session 6). Anything that could wait, on the database
     * (a token not in the cache, a user directory lookup) or on the audit queue (no room), goes to
     * a worker thread, where {@link #decide} may block: a selector thread must never wait, or
     * every connection it serves waits with it.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = RequestIds.next();
        request.setAttribute(RequestIds.ATTRIBUTE, requestId);
        response.getHeaders().put(UpstreamProxy.REQUEST_ID, requestId);
        Exchange exchange = exchange(request, requestId);
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        boolean here;
        try {
            here = authorization != null && decidableWithoutWaiting(exchange, request, authorization);
        } catch (RuntimeException e) {
            here = false; // the worker runs the same checks again, and answers and audits the failure
        }
        if (here) {
            decideOrFail(exchange, request, response, callback);
            return true;
        }
        try {
            request.getComponents().getExecutor().execute(() -> decideOrFail(exchange, request, response, callback));
        } catch (RejectedExecutionException e) {
            unavailable(
                    exchange,
                    response,
                    callback,
                    noWorker,
                    e.toString(),
                    "The gateway is overloaded; try again shortly.");
        }
        return true;
    }

    /**
     * Audits a request Jetty refused before this handler saw it (its parser part-way through, or
     * after the headers: a {@code Host} the certificate does not name), when it presented
     * credentials before the fault: every data-plane request that does is in the audit log. Runs
     * where Jetty answers, so it waits for no room in the audit queue; without room, the request
     * is summed up with the others turned away.
     */
    public void refusedBeforeHandling(Request request, String requestId, int status, String reason) {
        String authorization = CredentialKeepingHttpConnectionFactory.authorizationOf(request);
        if (authorization == null) {
            return;
        }
        Exchange exchange = exchange(request, requestId);
        presented(exchange, authorization);
        exchange.slot = audit.reserve(Duration.ZERO).orElse(null);
        if (exchange.slot == null) {
            exchange.noRoom = audit;
        }
        exchange.audit(AuditDecision.DENY, status, reason);
    }

    private Exchange exchange(Request request, String requestId) {
        return new Exchange(
                requestId,
                ClientAddress.of(request, config.trustedProxies()),
                request.getMethod().toUpperCase(Locale.ROOT), // as it is decided on and forwarded
                request.getHttpURI().getPath(),
                request.getHttpURI().getQuery(),
                clock,
                config.nodeId(),
                observer);
    }

    /** The token from the cache and a slot in the audit queue, both without waiting; false if either is not at hand. */
    private boolean decidableWithoutWaiting(Exchange exchange, Request request, String authorization) {
        Optional<VerifiedToken> token = authenticator.fromMemory(exchange, request, authorization);
        if (token.isEmpty()) {
            return false;
        }
        exchange.slot = audit.reserve(Duration.ZERO).orElse(null);
        if (exchange.slot == null) {
            return false;
        }
        exchange.cachedToken = token.get();
        return true;
    }

    private void decideOrFail(Exchange exchange, Request request, Response response, Callback callback) {
        try {
            decide(exchange, request, response, callback);
        } catch (StoreUnavailableException e) {
            unavailable(
                    exchange,
                    response,
                    callback,
                    storeUnavailable,
                    e.getMessage(),
                    "The token store is unavailable; try again shortly.");
        } catch (DirectoryUnavailableException e) {
            directoryUnavailable.refused(exchange.requestId, e.getMessage());
            reject(
                    exchange,
                    response,
                    callback,
                    HttpStatus.BAD_GATEWAY_502,
                    "Jira could not be asked about the user; try again shortly.",
                    directoryUnavailable.condition() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            RequestIds.log(LOG, Level.ERROR, exchange.requestId)
                    .setCause(e)
                    .log("{}: unexpected failure", exchange.requestId);
            reject(
                    exchange,
                    response,
                    callback,
                    HttpStatus.INTERNAL_SERVER_ERROR_500,
                    "Internal error.",
                    "internal error: " + e.getClass().getSimpleName());
        }
    }

    private void decide(Exchange exchange, Request request, Response response, Callback callback) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null && exchange.slot == null && !reserveAudit(exchange)) {
            presented(exchange, authorization);
            exchange.noRoom = audit;
            unavailable(
                    exchange,
                    response,
                    callback,
                    auditQueueFull,
                    "no room within " + config.auditReserveWait().toMillis() + " ms",
                    "The audit log is not keeping up; try again shortly.");
            return;
        }
        Optional<RequestScreen.Refusal> refusal = screen.screen(request, exchange.method);
        if (refusal.isPresent()) {
            RequestScreen.Refusal refused = refusal.get();
            presented(exchange, authorization);
            if (refused.status() == HttpStatus.METHOD_NOT_ALLOWED_405) {
                response.getHeaders().put(HttpHeader.ALLOW, RequestScreen.ALLOW);
            }
            reject(exchange, response, callback, refused.status(), refused.message(), refused.reason());
            return;
        }
        CanonicalPath path;
        QueryString query;
        try {
            path = CanonicalPath.parse(exchange.path);
            query = QueryString.parse(exchange.query);
        } catch (MalformedRequestException e) {
            presented(exchange, authorization);
            reject(
                    exchange,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    "Malformed request: " + e.getMessage() + ".",
                    "malformed: " + e.getMessage());
            return;
        }
        Optional<RequestScreen.Refusal> parameterRefusal = RequestScreen.screen(query);
        if (parameterRefusal.isPresent()) {
            presented(exchange, authorization);
            RequestScreen.Refusal refused = parameterRefusal.get();
            reject(exchange, response, callback, refused.status(), refused.message(), refused.reason());
            return;
        }
        exchange.path = path.value();
        exchange.forwardPath = path.encoded();
        exchange.forwardQuery = exchange.query == null ? null : query.forwarded();
        if (!config.serves(path)) {
            presented(exchange, authorization);
            reject(
                    exchange,
                    response,
                    callback,
                    HttpStatus.NOT_FOUND_404,
                    "Not found: tokengate serves " + String.join(", ", config.endpoints())
                            + (config.excludedEndpoints().isEmpty()
                                    ? ""
                                    : " except " + String.join(", ", config.excludedEndpoints())),
                    "outside the endpoints");
            return;
        }
        if (authorization == null) {
            unauthorized(exchange, response, callback, "no credentials");
            return;
        }
        long blocked = throttle.blockedForSeconds(exchange.clientIp);
        if (blocked > 0 && !throttle.vouchedFor(exchange.clientIp, authorization)) {
            presented(exchange, authorization);
            rejectForNow(
                    exchange,
                    response,
                    callback,
                    HttpStatus.TOO_MANY_REQUESTS_429,
                    blocked,
                    "Too many failed logins from this address; retry in " + blocked + " s.",
                    "login throttled");
            return;
        }
        Optional<String> failure = authenticator.authenticate(exchange, authorization);
        if (failure.isPresent()) {
            if (throttle.recordFailure(exchange.clientIp)) {
                LOG.warn(
                        "{}: client address {} throttled after {} failed logins: 429 until {} s after its last"
                                + " failure, except for tokens that worked from it since its first."
                                + " To lift it: tokengate throttle lift {} --plane data",
                        exchange.requestId,
                        exchange.clientIp,
                        config.loginMaxFailures(),
                        config.loginWindow().toSeconds(),
                        exchange.clientIp);
            }
            unauthorized(exchange, response, callback, failure.get());
            return;
        }
        throttle.succeeded(exchange.clientIp, authorization);
        tokens.recordUse(exchange.token.id(), exchange.clientIp);
        if (!authenticator.clientAllowed(exchange)) {
            reject(
                    exchange,
                    response,
                    callback,
                    HttpStatus.FORBIDDEN_403,
                    "This token may not be used from this address.",
                    "client address " + exchange.clientIp + " not allowed");
            return;
        }
        Optional<String> runAs = authenticator.runAs(exchange, request);
        if (runAs.isPresent()) {
            reject(exchange, response, callback, HttpStatus.FORBIDDEN_403, runAs.get(), runAs.get());
            return;
        }
        if (SecretScanner.containsSecret(exchange.effectiveUser)) {
            // An unbound token's Basic user, or a contextUser: either would reach the upstream,
            // and its logs, as the name of the user.
            reject(
                    exchange,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    "A tokengate token as a user name would be passed to the upstream and written to its logs:"
                            + " send a token only as the password, and rotate the one you sent.",
                    "token secret as the user name");
            return;
        }
        Optional<String> unnameable = config.identity().cannotName(exchange.effectiveUser);
        if (unnameable.isPresent()) {
            reject(
                    exchange,
                    response,
                    callback,
                    HttpStatus.FORBIDDEN_403,
                    "This user cannot be passed to the upstream unambiguously: " + unnameable.get()
                            + " (only printable ASCII names are supported).",
                    "effective user cannot be named upstream: " + unnameable.get());
            return;
        }
        if (!withinRateLimit(exchange, response, callback)) {
            return;
        }
        authorize(exchange, path, query, request, response, callback);
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
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        rejectForNow(
                exchange,
                response,
                callback,
                HttpStatus.TOO_MANY_REQUESTS_429,
                seconds,
                "This token's rate limit is " + limit.get() + "; retry in " + seconds + " s.",
                "rate limit " + limit.get() + " exceeded");
        return false;
    }

    private boolean reserveAudit(Exchange exchange) {
        exchange.slot = audit.reserve(config.auditReserveWait()).orElse(null);
        return exchange.slot != null;
    }

    /**
     * The credentials of a request refused before authentication, and the token they name if it
     * is in memory, for its audit record. Never the database: anyone can make up well-formed
     * secrets, and a refusal must cost no more than the throttle allows, nor wait on an outage.
     */
    private void presented(Exchange exchange, String authorization) {
        exchange.credentials(authorization);
        authenticator.namePresented(exchange, authorization);
    }

    private void authorize(
            Exchange exchange,
            CanonicalPath path,
            QueryString query,
            Request request,
            Response response,
            Callback callback) {
        var limits = exchange.token.limits();
        GatewayRequestView withoutBody =
                new GatewayRequestView(exchange.method, config.publicUrl(), path, query, () -> JsonBody.absent());
        if (!limits.needsBody(withoutBody)) {
            finishAuthorization(exchange, limits.evaluate(withoutBody), request, response, callback);
            return;
        }
        Optional<RequestScreen.Refusal> uninspectable = BodyRules.refuseUninspectable(request, config.bodyInspectMax());
        if (uninspectable.isPresent()) {
            RequestScreen.Refusal refused = uninspectable.get();
            reject(exchange, response, callback, refused.status(), refused.message(), refused.reason());
            return;
        }
        InspectedBody.read(request, config.bodyInspectMax(), new InspectedBody.Outcome() {
            @Override
            public void read(byte[] body) {
                try {
                    JsonBody json = JsonBody.parse(body);
                    Decision decision = limits.evaluate(
                            new GatewayRequestView(exchange.method, config.publicUrl(), path, query, () -> json));
                    finishAuthorization(exchange, decision, new BufferedRequest(request, body), response, callback);
                } catch (RuntimeException e) {
                    RequestIds.log(LOG, Level.ERROR, exchange.requestId)
                            .setCause(e)
                            .log("{}: unexpected failure after reading the body", exchange.requestId);
                    reject(
                            exchange,
                            response,
                            callback,
                            HttpStatus.INTERNAL_SERVER_ERROR_500,
                            "Internal error.",
                            "internal error: " + e.getClass().getSimpleName());
                }
            }

            @Override
            public void tooLarge() {
                GatewayHandler.this.tooLarge(exchange, response, callback);
            }

            @Override
            public void failed(Throwable failure) {
                reject(
                        exchange,
                        response,
                        callback,
                        HttpStatus.BAD_REQUEST_400,
                        "The request body could not be read (" + BodyRules.describe(failure) + ").",
                        "body could not be read: " + BodyRules.describe(failure));
            }
        });
    }

    private void tooLarge(Exchange exchange, Response response, Callback callback) {
        RequestScreen.Refusal refused = BodyRules.tooLarge(config.bodyInspectMax());
        reject(exchange, response, callback, refused.status(), refused.message(), refused.reason());
    }

    private void finishAuthorization(
            Exchange exchange, Decision decision, Request request, Response response, Callback callback) {
        if (!decision.allowed()) {
            reject(
                    exchange,
                    response,
                    callback,
                    HttpStatus.FORBIDDEN_403,
                    "The token's restrictions do not allow " + exchange.method + " " + exchange.path + ".",
                    decision.reason());
            return;
        }
        exchange.matchedRule = decision.rule().map(Object::toString).orElse(null);
        String reason = decision.reason();
        forward(exchange, request, response, callback, reason);
    }

    private void forward(Exchange exchange, Request request, Response response, Callback callback, String reason) {
        String credential = null;
        if (config.identity().needsUserCredential()) {
            credential = users.find(exchange.effectiveUser)
                    .flatMap(UserDirectory.DirectoryUser::upstreamCredential)
                    .orElse(null);
            if (credential == null) {
                reject(
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
                    exchange.audit(AuditDecision.ALLOW, response.getStatus(), reason);
                    callback.succeeded();
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
            if (!super.handle(counted, countedResponse, audited)) {
                audited.failed(new IllegalStateException("upstream proxy did not handle the request"));
            }
        } catch (Exception e) {
            audited.failed(e);
        }
    }

    private void unauthorized(Exchange exchange, Response response, Callback callback, String reason) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, challenge);
        reject(exchange, response, callback, HttpStatus.UNAUTHORIZED_401, unauthorizedMessage, reason);
    }

    /**
     * 503 for a state of the gateway's own that passes (no worker free, the store or the audit log
     * not keeping up), with {@code Retry-After}: clients that retry, such as {@code curl --retry},
     * wait a second instead of retrying at once. Logged as a {@link RefusalWarning}: a line per
     * refusal would flood the log for as long as the state lasts.
     */
    private void unavailable(
            Exchange exchange,
            Response response,
            Callback callback,
            RefusalWarning warning,
            String detail,
            String message) {
        warning.refused(exchange.requestId, detail);
        rejectForNow(
                exchange,
                response,
                callback,
                HttpStatus.SERVICE_UNAVAILABLE_503,
                RETRY_UNAVAILABLE_SECONDS,
                message,
                warning.condition());
    }

    /** A refusal that passes: {@code Retry-After} tells the client when to try again. */
    private void rejectForNow(
            Exchange exchange,
            Response response,
            Callback callback,
            int status,
            long retryAfterSeconds,
            String message,
            String reason) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfterSeconds);
        reject(exchange, response, callback, status, message, reason);
    }

    private void reject(
            Exchange exchange, Response response, Callback callback, int status, String message, String reason) {
        exchange.audit(AuditDecision.DENY, status, reason);
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException(reason));
            return;
        }
        ErrorResponse.send(response, callback, status, message, exchange.requestId);
    }
}
