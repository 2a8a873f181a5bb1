package io.tokengate.server.admin;

import io.tokengate.core.audit.AuditKind;
import io.tokengate.server.config.AdminConfig;
import io.tokengate.server.gateway.LoginThrottle;
import io.tokengate.server.http.RequestIds;
import io.tokengate.server.http.RetryAfter;
import io.tokengate.server.users.IdentitySource;
import io.tokengate.server.users.IdentityUnavailableException;
import io.tokengate.server.users.Principal;
import io.tokengate.server.users.Renewal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Who is calling the admin API, and whether the call may change anything.
 *
 * <ul>
 *   <li>{@code Authorization: Basic USER:PASSWORD} (scripts): checked by the identity source,
 *       remembered briefly by {@link io.tokengate.server.users.CachedIdentity}; no CSRF token
 *       needed, as a browser page from another site cannot set that header.
 *   <li>the session cookie (the web UI): must be in force; methods that change something must
 *       carry the session's {@code X-CSRF-Token}.
 *   <li>For every method that changes something, a present {@code Origin} must be this admin
 *       plane's own (the request's host, or {@code admin.public.url}); and {@code Sec-Fetch-Site:
 *       cross-site} is refused for every method: browsers replay cached Basic credentials too.
 * </ul>
 *
 * Failed sign-ins (Basic or {@code POST /session}) are audited as {@code LOGIN_FAILED} and
 * throttled per client address: 429 with {@code Retry-After} once {@code login.max.failures}
 * is reached, for every user name and password but those that worked from that address, on this
 * node, since its first failure ({@link LoginThrottle#vouchedFor(String, String, char[])}): a
 * script there with a wrong password does not lock the administrator out, and a guess, right or
 * wrong, still gets 429. Sessions are not throttled: a cookie is no guess.
 */
final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    /**
     * What a confined session ({@link Renewal#confined}) may still call: its user's account page,
     * where a new upstream credential is stored, and signing out.
     */
    private static final Set<String> CONFINED_ROUTES = Set.of(
            "GET /api/v1/me",
            "PUT /api/v1/me/upstream-credential",
            "DELETE /api/v1/me/upstream-credential",
            "DELETE /api/v1/session");

    private static final String NOT_SIGNED_IN =
            "Not signed in, or the session has ended: sign in (POST /api/v1/session)" + " or send Basic credentials.";

    private final IdentitySource identity;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AdminAudit audit;
    private final AdminConfig config;
    /** Where this admin plane answers, for the command the log suggests; null offline. */
    private final String adminUrl;

    Authenticator(
            IdentitySource identity,
            Sessions sessions,
            LoginThrottle throttle,
            AdminAudit audit,
            AdminConfig config,
            String adminUrl) {
        this.identity = identity;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.config = config;
        this.adminUrl = adminUrl;
    }

    /** Sets the exchange's principal, or throws 401, 403, 429 or 503. */
    void authenticate(ApiExchange exchange) {
        checkOrigin(exchange);
        String authorization = exchange.request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null) {
            BasicCredentials credentials = BasicCredentials.parse(authorization)
                    .orElseThrow(() -> unauthorized(
                            exchange, "Only Basic credentials (user name and password) are accepted here."));
            try {
                exchange.principal(signIn(exchange, credentials.user, credentials.password), null);
            } finally {
                Arrays.fill(credentials.password, '\0');
            }
            return;
        }
        String cookie = sessionCookie(exchange.request).orElseThrow(() -> unauthorized(exchange, NOT_SIGNED_IN));
        Sessions.Active session = sessions.find(cookie).orElseThrow(() -> unauthorized(exchange, NOT_SIGNED_IN));
        Principal principal = session.principal();
        Renewal renewal = principal.source().equals(identity.label())
                ? identity.renew(principal)
                : Renewal.ended("User " + principal.name() + " signed in with " + principal.source()
                        + " credentials, but identity.source is now " + identity.label());
        if (renewal.ended()) {
            String why = renewal.problem().orElseThrow() + "; the session has ended.";
            // Audited like a sign-in: an end the user did not ask for shows who lost access, and why.
            audit.begin(exchange, AuditKind.SESSION_ENDED)
                    .actor(principal.name())
                    .subject(principal.name());
            sessions.end(cookie);
            throw unauthorized(exchange, why);
        }
        if (renewal.confined() && !CONFINED_ROUTES.contains(exchange.method() + " " + exchange.path())) {
            throw ApiError.forbidden(null, renewal.problem().orElseThrow() + ".");
        }
        if (!SAFE.contains(exchange.method())
                && !Sessions.csrfMatches(cookie, exchange.request.getHeaders().get(Sessions.CSRF_HEADER))) {
            throw ApiError.forbidden(
                    null,
                    "Missing or wrong " + Sessions.CSRF_HEADER + " header: a signed-in browser must send the csrfToken"
                            + " it got at sign-in (or from GET /api/v1/me) with every request that changes something.");
        }
        exchange.principal(renewal.principal().orElseThrow(), cookie);
        renewal.problem().ifPresent(exchange::confinedBecause);
    }

    /**
     * Checks a user name and password: the principal, or 401 (audited, counted against the client
     * address), 429 when the address is throttled, 503 when the identity source is unreachable
     * (audited too, but not counted: the password may well be right).
     * Credentials checked lately are taken as they were, without a check under way to count: a
     * script that sends many calls at once is not throttled for them.
     */
    Principal signIn(ApiExchange exchange, String user, char[] password) {
        try {
            return check(exchange, user, password);
        } catch (IdentityUnavailableException e) {
            failedSignIn(exchange, user); // refused, 503: audited like any refused sign-in
            throw e;
        }
    }

    private Principal check(ApiExchange exchange, String user, char[] password) {
        // Not while throttled: a password checked lately from elsewhere would tell a right guess
        // from a wrong one there. What worked from there since its first failure goes on to
        // counted(), whose check takes a remembered one too.
        if (throttle.blockedForSeconds(exchange.clientIp) == 0) {
            Optional<Principal> remembered = identity.remembered(user, password);
            if (remembered.isPresent()) {
                throttle.succeeded(exchange.clientIp, user, password);
                return remembered.get();
            }
        }
        Optional<Principal> principal =
                counted(exchange, user, password, signedIn -> true, "sign-ins", () -> failedSignIn(exchange, user));
        if (principal.isEmpty()) {
            failedSignIn(exchange, user);
            throw unauthorized(exchange, "Wrong user name or password.");
        }
        return principal.get();
    }

    /** Reserves the audit record of a sign-in refused, wrong or throttled. */
    private void failedSignIn(ApiExchange exchange, String user) {
        audit.begin(exchange, AuditKind.LOGIN_FAILED)
                .basicUser(user)
                .subject(user)
                .actor(user);
    }

    /**
     * Checks the password of a user who is signed in already, before a change that asks for it
     * (their own new password): throttled and counted per client address like a sign-in, so that
     * a session left open is no way to guess the password. 429 when the address is throttled.
     *
     * @return whether {@code password} is {@code user}'s
     */
    boolean confirm(ApiExchange exchange, String user, char[] password) {
        return counted(exchange, user, password, principal -> principal.is(user), "password checks", () -> {})
                .isPresent();
    }

    /**
     * One check of {@code password}, counted against the client address: checks under way and
     * failures together stay within the throttle's limit, and a wrong password is counted before
     * its check ends. Beyond the limit, {@code throttled} runs and the answer is 429, naming the
     * {@code failures} and the wait; but a user name and password that worked from the address
     * since its first failure are checked all the same (and counted if they no longer work).
     *
     * @param accepts whom the password must sign in
     * @return the principal when the password is right for one {@code accepts}
     */
    private Optional<Principal> counted(
            ApiExchange exchange,
            String user,
            char[] password,
            Predicate<Principal> accepts,
            String failures,
            Runnable throttled) {
        boolean vouched = throttle.vouchedFor(exchange.clientIp, user, password);
        long blocked = vouched ? 0 : throttle.beginAttempt(exchange.clientIp);
        if (blocked > 0) {
            throttled.run();
            RetryAfter.set(exchange.response, blocked);
            throw new ApiError(
                    429, "Too many failed " + failures + " from this address; retry in " + blocked + " s.", null, null);
        }
        try {
            Optional<Principal> principal =
                    identity.authenticate(user, password).filter(accepts);
            if (principal.isEmpty() && throttle.recordFailure(exchange.clientIp)) { // counted before it ends
                RequestIds.log(LOG, Level.WARN, exchange.requestId).log(
                        "{}: client address {} throttled after {} failed {}: 429 on the admin plane until {} s"
                                + " after its last failure, except for passwords that worked from it since its"
                                + " first. To lift it: {}",
                        exchange.requestId,
                        exchange.clientIp,
                        config.loginMaxFailures(),
                        failures,
                        config.loginWindow().toSeconds(),
                        LoginThrottle.liftCommand(exchange.clientIp, "admin", adminUrl));
            }
            if (principal.isPresent()) {
                throttle.succeeded(exchange.clientIp, user, password);
            }
            return principal;
        } finally {
            if (!vouched) {
                throttle.endAttempt(exchange.clientIp);
            }
        }
    }

    /**
     * Refuses a request from another site's page: any, when the browser says so ({@code
     * Sec-Fetch-Site: cross-site}), since some reads are actions too (showing a secret or its
     * snippets is audited, and a page could fill the audit log with "secret shown" records it
     * cannot read, with cached Basic credentials); and one that changes something when its {@code
     * Origin} is not this admin plane's.
     */
    void checkOrigin(ApiExchange exchange) {
        String site = exchange.request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && site.strip().equalsIgnoreCase("cross-site")) {
            throw ApiError.forbidden(
                    null, "Cross-site requests are refused here (Sec-Fetch-Site): use the admin plane's own page.");
        }
        if (SAFE.contains(exchange.method())) {
            return;
        }
        String origin = exchange.request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return;
        }
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        HttpURI uri = exchange.request.getHttpURI();
        String own = (uri.getScheme() + "://" + uri.getAuthority()).toLowerCase(Locale.ROOT);
        if (!normalized.equals(own)
                && !config.publicOrigin().map(normalized::equals).orElse(false)) {
            throw ApiError.forbidden(
                    null,
                    "Origin " + origin.strip() + " may not change anything here (expected " + own
                            + config.publicOrigin().map(o -> " or " + o).orElse("") + ").");
        }
    }

    static Optional<String> sessionCookie(Request request) {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(Sessions.COOKIE) && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private static ApiError unauthorized(ApiExchange exchange, String message) {
        String mode = exchange.request.getHeaders().get("Sec-Fetch-Mode");
        // Browsers show a password dialog for a Basic challenge; the web UI signs in by itself. Its
        // fetches say so: browsers send Sec-Fetch-Mode only to https and localhost origins.
        boolean ui = exchange.request.getHeaders().contains("X-Requested-With", "tokengate-ui");
        boolean script = !ui && (mode == null || mode.equalsIgnoreCase("navigate"));
        exchange.response
                .getHeaders()
                .put(
                        HttpHeader.WWW_AUTHENTICATE,
                        script
                                ? "Basic realm=\"tokengate admin\", charset=\"UTF-8\""
                                : "Session realm=\"tokengate admin\"");
        return new ApiError(401, message, null, null);
    }
}
