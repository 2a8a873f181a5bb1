package io.tokengate.server.gateway;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.request.MalformedRequestException;
import io.tokengate.core.request.QueryString;
import io.tokengate.core.token.RateExchange;
import io.tokengate.core.token.TokenService;
import io.tokengate.core.token.VerifiedToken;
import io.tokengate.server.http.CredentialKeepingHttpConnectionFactory;
import io.tokengate.server.http.RequestIds;
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
 *   <li>the token: missing, malformed, unknown, expired, revoked, wrong user, or bound to a user
 *       Jira said it deactivated or deleted: one 401 for all;
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
 *
 * <p>This class chooses the thread and runs the checks on the request itself (1 to 5); {@link
 * CallerCheck} runs 6 to 10, {@link RestrictionCheck} 11, {@link Forwarder} 12, and every refusal
 * is answered and audited by {@link Refusals}. All of them are built once, here; a request
 * allocates nothing for passing from one to the next.
 */
public final class GatewayHandler extends Handler.Wrapper {
    private final GatewayConfig config;
    private final RequestObserver observer;
    private final AuditSink audit;
    private final LoginThrottle throttle;
    private final TokenRateLimiter rates;
    private final Clock clock;
    private final RequestScreen screen;
    private final TokenAuthenticator authenticator;
    private final Refusals refusals;
    private final CallerCheck callers;
    private final RestrictionCheck restrictions;
    private final InspectionMemory inspectionMemory;

    public GatewayHandler(
            GatewayConfig config,
            TokenService tokens,
            AuditSink audit,
            UserDirectory users,
            RequestObserver observer,
            Clock clock) {
        this(config, tokens, audit, users, observer, clock, new UpstreamProxy(config));
    }

    private GatewayHandler(
            GatewayConfig config,
            TokenService tokens,
            AuditSink audit,
            UserDirectory users,
            RequestObserver observer,
            Clock clock,
            UpstreamProxy proxy) {
        super(proxy);
        this.observer = observer;
        this.config = config;
        this.audit = audit;
        this.clock = clock;
        this.throttle = new LoginThrottle(config.loginMaxFailures(), config.loginWindow(), clock);
        this.rates = new TokenRateLimiter(clock);
        this.screen = new RequestScreen(config.identity(), config.refused());
        this.authenticator = new TokenAuthenticator(config, tokens, users, clock);
        this.refusals = new Refusals(config);
        this.callers = new CallerCheck(config, tokens, authenticator, throttle, rates, refusals);
        this.inspectionMemory = new InspectionMemory(config.bodyInspectMemory(), config.bodyInspectMax());
        this.restrictions = new RestrictionCheck(
                config, screen, refusals, new Forwarder(config, users, proxy, refusals), inspectionMemory);
    }

    /** The rate limits' counts, for the nodes of a cluster to exchange. */
    public RateExchange rateExchange() {
        return rates;
    }

    /** The memory bodies read for JSON conditions hold, for metrics. */
    public InspectionMemory inspectionMemory() {
        return inspectionMemory;
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
            if (authorization != null) {
                reserveAuditWithoutWaiting(exchange, authorization);
            }
            refusals.noWorker(exchange, response, callback, e);
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
        reserveAuditWithoutWaiting(exchange, authorization);
        exchange.audit(AuditDecision.DENY, status, reason);
    }

    /**
     * For a request refused where nothing may wait (Jetty's own refusal, no worker to hand it to):
     * names the token presented, if the cache knows it, and reserves the audit record's slot
     * without waiting; without room, the record is summed up with the others turned away.
     */
    private void reserveAuditWithoutWaiting(Exchange exchange, String authorization) {
        authenticator.namePresented(exchange, authorization);
        exchange.slot = audit.reserve(Duration.ZERO).orElse(null);
        if (exchange.slot == null) {
            exchange.noRoom = audit;
        }
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

    /** {@link #decide}, with what it did not expect answered: store trouble fails closed. */
    private void decideOrFail(Exchange exchange, Request request, Response response, Callback callback) {
        try {
            decide(exchange, request, response, callback);
        } catch (StoreUnavailableException e) {
            refusals.storeUnavailable(exchange, response, callback, e.getMessage());
        } catch (DirectoryUnavailableException e) {
            refusals.directoryUnavailable(exchange, response, callback, e.getMessage());
        } catch (RuntimeException | Error e) {
            // An Error too (a stack overflow, a class a broken installation lacks): left to Jetty,
            // the client would wait for an answer until the idle timeout, and nothing be audited.
            refusals.internalError(exchange, response, callback, e, "{}: unexpected failure");
        }
    }

    /**
     * The checks on the request itself, up to the credentials; then {@link CallerCheck} and
     * {@link RestrictionCheck}, which forwards. A refusal before authentication names the token
     * presented, if the cache knows it, without authenticating it.
     */
    private void decide(Exchange exchange, Request request, Response response, Callback callback) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null && exchange.slot == null && !reserveAudit(exchange)) {
            authenticator.namePresented(exchange, authorization);
            exchange.noRoom = audit;
            refusals.auditQueueFull(
                    exchange,
                    response,
                    callback,
                    "no room within " + config.auditReserveWait().toMillis() + " ms");
            return;
        }
        Optional<RequestScreen.Refusal> refusal = screen.screen(request, exchange.method);
        if (refusal.isPresent()) {
            authenticator.namePresented(exchange, authorization);
            if (refusal.get().status() == HttpStatus.METHOD_NOT_ALLOWED_405) {
                response.getHeaders().put(HttpHeader.ALLOW, RequestScreen.ALLOW);
            }
            refusals.refuse(exchange, response, callback, refusal.get());
            return;
        }
        CanonicalPath path;
        QueryString query;
        try {
            path = CanonicalPath.parse(exchange.path);
            query = QueryString.parse(exchange.query);
        } catch (MalformedRequestException e) {
            authenticator.namePresented(exchange, authorization);
            refusals.refuse(
                    exchange,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    "Malformed request: " + e.getMessage() + ".",
                    "malformed: " + e.getMessage());
            return;
        }
        Optional<RequestScreen.Refusal> parameterRefusal = screen.screen(query);
        if (parameterRefusal.isPresent()) {
            authenticator.namePresented(exchange, authorization);
            refusals.refuse(exchange, response, callback, parameterRefusal.get());
            return;
        }
        exchange.path = path.value();
        exchange.forwardPath = path.encoded();
        exchange.forwardQuery = exchange.query == null ? null : query.forwarded();
        if (!config.serves(path)) {
            authenticator.namePresented(exchange, authorization);
            refusals.notServed(exchange, response, callback);
            return;
        }
        if (authorization == null) {
            refusals.unauthorized(exchange, response, callback, "no credentials");
            return;
        }
        if (callers.admits(exchange, request, response, callback, authorization)) {
            restrictions.decide(exchange, path, query, request, response, callback);
        }
    }

    private boolean reserveAudit(Exchange exchange) {
        exchange.slot = audit.reserve(config.auditReserveWait()).orElse(null);
        return exchange.slot != null;
    }
}
