package io.tokengate.core.token;

import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.limits.LimitsSyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request path's half of {@link TokenService}: which token a secret belongs to, by its digest,
 * from the {@link TokenCache} when it can answer and from the repository when it cannot. A token
 * is loaded with its limits parsed, once, so that each request only evaluates them; a token whose
 * stored limits no longer parse is never loaded (fail closed), and is named in the log at most
 * once per {@link #UNPARSABLE_LOG_INTERVAL}, not at each of its calls.
 *
 * <p>Thread-safe.
 */
final class TokenLookup {
    /** Logged under the service's name, as it always was: operators filter on it. */
    private static final System.Logger LOG = System.getLogger(TokenService.class.getName());

    private static final Duration UNPARSABLE_LOG_INTERVAL = Duration.ofMinutes(10);

    private final TokenRepository repository;
    private final TokenCache cache;
    private final TokenDigester digester;
    private final Clock clock;
    /** When each token whose stored limits no longer parse was last named in the log. */
    private final Map<TokenId, Instant> unparsableLogged = new ConcurrentHashMap<>();

    TokenLookup(TokenRepository repository, TokenCache cache, TokenDigester digester, Clock clock) {
        this.repository = repository;
        this.cache = cache;
        this.digester = digester;
        this.clock = clock;
    }

    /** See {@link TokenService#verify}. */
    Optional<VerifiedToken> verify(TokenSecret secret) {
        TokenDigest digest = digester.digest(secret);
        return cache.get(digest, this::load).filter(this::active);
    }

    /** See {@link TokenService#verifyFromMemory}. */
    Optional<VerifiedToken> verifyFromMemory(TokenSecret secret) {
        return cache.peek(digester.digest(secret)).filter(this::active);
    }

    /** See {@link TokenService#identify}. */
    Optional<Token> identify(TokenSecret secret) {
        return cache.get(digester.digest(secret), this::load).map(VerifiedToken::token);
    }

    /** See {@link TokenService#identifyFromMemory}. */
    Optional<Token> identifyFromMemory(TokenSecret secret) {
        return cache.peek(digester.digest(secret)).map(VerifiedToken::token);
    }

    private boolean active(VerifiedToken token) {
        return token.token().status(clock) == TokenStatus.ACTIVE;
    }

    private Optional<VerifiedToken> load(TokenDigest digest) {
        return repository.findByDigest(digest).flatMap(token -> {
            try {
                return Optional.of(new VerifiedToken(token, LimitsParser.parse(token.limits())));
            } catch (LimitsSyntaxException e) {
                // Saved limits always parsed; if a newer parser disagrees, fail closed.
                Instant now = clock.instant();
                Instant last = unparsableLogged.get(token.id());
                if (last == null || last.isBefore(now.minus(UNPARSABLE_LOG_INTERVAL))) {
                    unparsableLogged.put(token.id(), now);
                    LOG.log(
                            System.Logger.Level.ERROR,
                            "token {0} ({1}) is refused at every use: its stored limits no longer parse, so"
                                    + " edit them, or in secure mode revoke it and make another ({2})",
                            token.id(),
                            token.name(),
                            e.getMessage());
                }
                return Optional.empty();
            }
        });
    }
}
