package io.tokengate.server.gateway;

import io.tokengate.core.request.Quote;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenService;
import io.tokengate.core.token.VerifiedToken;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * Who a data-plane request is and whom it runs as: the token behind its credentials (Basic or
 * Bearer, bound or unbound), the token's allowed client addresses, and {@code contextUser}
 * run-as. Each check fills in the {@link Exchange} and answers with the precise reason for a
 * refusal, for the audit log; the client sees only the status.
 */
final class TokenAuthenticator {
    private final GatewayConfig config;
    private final TokenService tokens;
    private final UserDirectory users;
    private final Clock clock;

    TokenAuthenticator(GatewayConfig config, TokenService tokens, UserDirectory users, Clock clock) {
        this.config = config;
        this.tokens = tokens;
        this.users = users;
        this.clock = clock;
    }

    /**
     * Empty when the credentials name an active token that this user may use; else the precise
     * reason. A token that {@link #fromMemory} already found for this request ({@code
     * exchange.cachedToken}) is not parsed or looked up again.
     */
    Optional<String> authenticate(Exchange exchange, String authorization) {
        Credentials credentials = exchange.credentials(authorization);
        if (credentials == null) {
            return Optional.of("malformed Authorization header");
        }
        if (!accepted(credentials)) {
            return Optional.of(
                    credentials.scheme() == Credentials.Scheme.BASIC
                            ? "Basic authentication is disabled"
                            : "Bearer authentication is disabled");
        }
        VerifiedToken token = exchange.cachedToken;
        if (token == null) {
            Optional<TokenSecret> secret = TokenSecret.parse(credentials.secret());
            if (secret.isEmpty()) {
                return Optional.of("not a tokengate token (format or checksum)");
            }
            Optional<VerifiedToken> verified = tokens.verify(secret.get());
            if (verified.isEmpty()) {
                return Optional.of(whyInactive(exchange, secret.get()));
            }
            token = verified.get();
        }
        exchange.token = token;
        Optional<String> bound = token.token().boundUser();
        if (credentials.scheme() == Credentials.Scheme.BEARER) {
            if (bound.isEmpty()) {
                return Optional.of("an unbound token cannot be used as a Bearer token (no user name)");
            }
            exchange.effectiveUser = bound.get();
            return Optional.empty();
        }
        if (bound.isPresent() && !isSameUser(bound.get(), credentials.user())) {
            return Optional.of("token is bound to another user");
        }
        exchange.effectiveUser = bound.orElse(credentials.user());
        return Optional.empty();
    }

    /**
     * The token for these credentials if everything {@link #authenticate} and {@link #runAs} need
     * is in memory: the token is cached and active, and the user directory has nothing to say (no
     * {@code contextUser}, a bound user named as such rather than by e-mail, an identity that
     * needs no stored credential). Empty when anything might need the database, or when the
     * credentials will be refused anyway: {@link #authenticate} then does the full check.
     */
    Optional<VerifiedToken> fromMemory(Exchange exchange, Request request, String authorization) {
        if (config.identity().needsUserCredential() || request.getHeaders().contains(UpstreamIdentity.CONTEXT_USER)) {
            return Optional.empty();
        }
        Credentials credentials = exchange.credentials(authorization);
        if (credentials == null || !accepted(credentials)) {
            return Optional.empty();
        }
        boolean bearer = credentials.scheme() == Credentials.Scheme.BEARER;
        String user = credentials.user();
        return TokenSecret.parse(credentials.secret())
                .flatMap(tokens::verifyFromMemory)
                .filter(token -> token.token()
                        .boundUser()
                        .map(bound -> bearer || bound.equalsIgnoreCase(user))
                        .orElse(!bearer));
    }

    /**
     * For a request refused before authentication (malformed, outside the endpoints, throttled):
     * parses its credentials for the audit record's Basic user, and names the token they carry
     * when the cache holds it, so that what was tried with a token in use shows under that token,
     * for its owner too. Authenticates nothing and never asks the database: anyone can make up
     * well-formed secrets, and a refusal must cost no more than the throttle allows, nor wait on an
     * outage.
     */
    void namePresented(Exchange exchange, String authorization) {
        exchange.credentials(authorization);
        if (exchange.token != null || exchange.refusedToken != null) {
            return;
        }
        if (exchange.cachedToken != null) {
            exchange.refusedToken = exchange.cachedToken.token();
            return;
        }
        Credentials credentials = exchange.credentials(authorization);
        if (credentials != null) {
            TokenSecret.parse(credentials.secret())
                    .flatMap(tokens::identifyFromMemory)
                    .ifPresent(token -> exchange.refusedToken = token);
        }
    }

    /** Whether the gateway accepts this scheme (Basic, Bearer) at all. */
    private boolean accepted(Credentials credentials) {
        return credentials.scheme() == Credentials.Scheme.BASIC ? config.acceptBasic() : config.acceptBearer();
    }

    /** Why a well-formed secret did not verify, for the audit log only: the client sees one 401. */
    private String whyInactive(Exchange exchange, TokenSecret secret) {
        Optional<Token> token = tokens.identify(secret);
        if (token.isEmpty()) {
            return "unknown token (never issued, deleted, or the old secret of a rotated token)";
        }
        Token found = token.get();
        exchange.refusedToken = found;
        switch (found.status(clock)) {
            case REVOKED:
                return "token revoked at " + found.revokedAt();
            case EXPIRED:
                return "token expired at " + found.expiresAt();
            default:
                return "token not active";
        }
    }

    /** The Basic user matches the bound user by name or by e-mail, case-insensitively. */
    private boolean isSameUser(String boundUser, String basicUser) {
        if (boundUser.equalsIgnoreCase(basicUser)) {
            return true;
        }
        return users.find(boundUser)
                .map(u -> u.email() != null && u.email().equalsIgnoreCase(basicUser))
                .orElse(false);
    }

    /**
     * Why the gateway refuses an authenticated token itself: Jira said, in an answer still fresh,
     * that it deactivated or deleted the user the token is bound to. Only Jira's own word counts,
     * never its refusal to act as them (a misconfiguration, or a Jira outage, looks the same and
     * must not lock everybody out), and nothing is asked here: the answer is one the gateway had
     * anyway ({@link UserDirectory#goneNow}). Empty when the token may go on.
     */
    Optional<String> boundUserGone(Exchange exchange) {
        Optional<String> bound = exchange.token.token().boundUser();
        if (bound.isEmpty()) {
            return Optional.empty();
        }
        String user = bound.get();
        return users.goneNow(user)
                .filter(UserGone::confirmed)
                .map(gone -> "token bound to " + user + ", whom Jira no longer lets act: " + gone.why() + ", said at "
                        + gone.learntAt() + "; " + UserGone.remedy(user));
    }

    boolean clientAllowed(Exchange exchange) {
        if (exchange.token.token().allowedIps().isAny()) {
            return true;
        }
        Optional<InetAddress> address = ClientAddress.parse(exchange.clientIp);
        return address.isPresent() && exchange.token.token().allowedIps().allows(address.get());
    }

    /** Applies {@code contextUser}; empty when allowed (or absent), else why not. */
    Optional<String> runAs(Exchange exchange, Request request) {
        String target = request.getHeaders().get(UpstreamIdentity.CONTEXT_USER);
        if (target == null) {
            return Optional.empty();
        }
        target = target.strip();
        if (target.isEmpty() || target.length() > 255 || target.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("Invalid contextUser header.");
        }
        String user = exchange.effectiveUser;
        boolean permitted = users.find(user)
                .map(u -> u.admin() || u.groups().stream().anyMatch(config.runAsGroups()::contains))
                .orElse(false);
        if (!permitted) {
            // The user asked for is named, so that the audit record keeps both, refused as allowed.
            // When Jira does not know the token's user (or cannot say), that is the cause, not a
            // missing right: the message says so rather than blame the user's groups.
            String asked = "as another user (contextUser: " + Quote.shorten(target) + ")";
            return Optional.of(users.whyUnknown(user)
                    .map(why -> "Cannot tell whether " + user + " may run requests " + asked + ": " + why + ".")
                    .orElse("User " + user + " may not run requests " + asked + "."));
        }
        exchange.runBy = user;
        exchange.effectiveUser = target;
        return Optional.empty();
    }
}
