package io.tokengate.core.token;

import io.tokengate.core.limits.LimitsSyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The token lifecycle: create, list, show, edit, rotate, revoke, delete, reveal, and {@link
 * #verify(TokenSecret)} for the request path. Secrets are kept only as digests (the lookup key)
 * and, in standard mode, as an encrypted copy bound to the token id.
 *
 * <p>This class decides what each operation may do (secure mode, revoked tokens, the cache
 * invalidated after every change); {@link TokenFields} checks what a token's fields may hold,
 * {@link TokenSecrets} keeps the secrets' digests and encrypted copies, and {@link TokenLookup}
 * finds the token for a secret on the request path.
 *
 * <p>Expected outcomes are values: an unknown id gives an empty {@code Optional} or {@code false}.
 * Invalid input throws {@link InvalidTokenSpecException}, {@link LimitsSyntaxException} or {@link
 * IpAllowListSyntaxException} and stores nothing; an operation refused by secure mode throws {@link
 * SecureModeException}; store failures surface as the store's unchecked exceptions. Callers audit
 * the admin actions, since only they know the actor's request.
 *
 * <p>Thread-safe.
 */
public final class TokenService {
    private final TokenRepository repository;
    private final TokenCache cache;
    private final TokenLookup lookup;
    private final TokenSecrets secrets;
    private final UsageSink usage;
    private final TokenPolicy policy;
    private final Clock clock;
    private final SecureRandom random;

    public TokenService(
            TokenRepository repository,
            TokenCache cache,
            UsageSink usage,
            TokenDigester digester,
            SecretCipher cipher,
            TokenPolicy policy,
            Clock clock,
            SecureRandom random) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.usage = Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(digester, "digester");
        Objects.requireNonNull(cipher, "cipher");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.lookup = new TokenLookup(repository, cache, digester, clock);
        this.secrets = new TokenSecrets(repository, cache, digester, cipher, policy, random);
    }

    public TokenPolicy policy() {
        return policy;
    }

    /**
     * Creates a token and returns it with its secret, which in secure mode is never visible again.
     * Everything is validated before anything is stored.
     */
    public CreatedToken create(TokenSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Instant now = now();
        TokenFields.New fields = TokenFields.checked(spec, now, policy);

        TokenId id = TokenId.generate(random);
        TokenSecret secret = TokenSecret.generate(random);
        Token token = new Token(
                id,
                fields.name(),
                fields.user(),
                fields.createdBy(),
                now,
                fields.expiresAt(),
                fields.limits(),
                fields.allowedIps(),
                fields.rateLimit(),
                null,
                null,
                null,
                0,
                secret.hint());
        secrets.insert(token, secret);
        cache.invalidate(id); // a negative entry must not hide the new token
        return new CreatedToken(token, secret);
    }

    /**
     * Checks a token to create as {@link #create} does, and stores nothing: for a caller that found
     * problems of its own in the same request (a field it could not read) and reports them together
     * with these.
     *
     * @throws InvalidTokenFieldsException when several fields are wrong; one wrong field throws its
     *     own exception, as {@link #create} does
     */
    public void check(TokenSpec spec) {
        TokenFields.checked(Objects.requireNonNull(spec, "spec"), now(), policy);
    }

    public TokenPage list(TokenQuery query) {
        return repository.list(Objects.requireNonNull(query, "query"), now());
    }

    /**
     * Whether secrets are shown once only: this node's {@code token.secure.mode}, or the database's
     * (any node started in secure mode turned it on for all). Read from the database at each call,
     * so a node follows another that turned it on while it was running.
     */
    public boolean secureMode() {
        return secrets.secureMode();
    }

    /** {@code token.max.lifetime.days}: the longest a token may live, counted from its creation; 0 for no cap. */
    public int maxLifetimeDays() {
        return policy.maxLifetimeDays();
    }

    public Optional<Token> show(TokenId id) {
        return repository.findById(id);
    }

    /**
     * Changes a token's name, limits, expiry, allowed IPs or rate limit. Standard mode only; the new
     * values are validated like at creation. The lifetime cap counts from the token's creation, so
     * that edits cannot keep a token alive past it.
     *
     * @throws SecureModeException in secure mode, whatever the edit
     * @throws TokenStateException when the token is revoked: what it could do stays on record
     */
    public Optional<Token> edit(TokenId id, TokenEdit edit) {
        Objects.requireNonNull(edit, "edit");
        if (secureMode()) {
            throw new SecureModeException(
                    "Editing token " + id,
                    "a token's settings cannot be changed once it is made. Revoke it and create a new one with other"
                            + " settings.");
        }
        if (edit.isEmpty()) {
            return repository.findById(id);
        }
        Instant now = now();
        // Validated before the row is held, so that a long limits text does not hold it; the
        // expiry, which counts from the token's creation, is checked with the row, and the
        // problems of all fields are reported together.
        FieldChecks checks = new FieldChecks();
        TokenFields.Edited fields = TokenFields.checked(edit, checks);
        if (edit.expiry().isEmpty()) {
            checks.throwIfAny();
        }
        Optional<Token> changed = repository.updateEditable(id, current -> {
            if (current.revokedAt() != null) {
                throw new TokenStateException("token " + id + " is revoked; a revoked token cannot be edited");
            }
            FieldChecks withExpiry = new FieldChecks(checks); // this function may run again
            Instant expiresAt = edit.expiry().isPresent()
                    ? withExpiry.check(() -> TokenFields.expiry(edit.expiry().get(), now, current.createdAt(), policy))
                    : current.expiresAt();
            withExpiry.throwIfAny();
            return current.withEditableFields(
                    fields.name().orElse(current.name()),
                    fields.limits().orElse(current.limits()),
                    expiresAt,
                    fields.allowedIps().orElse(current.allowedIps()),
                    fields.rateLimit().orElse(current.rateLimit()));
        });
        cache.invalidate(id);
        return changed.isEmpty() ? Optional.empty() : repository.findById(id);
    }

    /**
     * Checks an edit's name, limits, allowed IPs and rate limit as {@link #edit} does, and changes
     * nothing: for a caller that found problems of its own in the same request. The expiry is not
     * checked here, since it counts from the token's creation.
     *
     * @throws InvalidTokenFieldsException when several fields are wrong; one wrong field throws its
     *     own exception
     */
    public void check(TokenEdit edit) {
        FieldChecks checks = new FieldChecks();
        TokenFields.checked(Objects.requireNonNull(edit, "edit"), checks);
        checks.throwIfAny();
    }

    /**
     * Gives the token a new secret, keeping every setting; the old secret stops working at once, on
     * every node. Allowed in secure mode (the new secret is shown once).
     *
     * @throws TokenStateException when the token is revoked
     */
    public Optional<CreatedToken> rotate(TokenId id) {
        return secrets.rotate(id);
    }

    /**
     * Revokes the token for good, on every node; revoking a revoked token changes nothing, and the
     * answer says it was {@linkplain RevokedToken#already already} revoked.
     *
     * @return empty when no token has that id
     */
    public Optional<RevokedToken> revoke(TokenId id) {
        TokenRepository.Revocation revocation = repository.revoke(id, now());
        cache.invalidate(id);
        if (revocation == TokenRepository.Revocation.NO_SUCH_TOKEN) {
            return Optional.empty();
        }
        boolean already = revocation == TokenRepository.Revocation.ALREADY_REVOKED;
        return repository.findById(id).map(token -> new RevokedToken(token, already));
    }

    public boolean delete(TokenId id) {
        boolean deleted = repository.delete(id);
        cache.invalidate(id);
        return deleted;
    }

    /**
     * The token's secret, decrypted from its stored copy. Standard mode only.
     *
     * @throws SecureModeException in secure mode
     * @throws TokenStateException when the token is revoked (its secret is of no use to anyone), or
     *     when no copy is stored (the secret was made in secure mode)
     */
    public Optional<TokenSecret> reveal(TokenId id) {
        return secrets.reveal(id, SecretUse.SHOWN);
    }

    /**
     * {@link #reveal}, for code snippets that hold the secret: refused as reveal is, each refusal
     * naming the snippets the user asked for rather than viewing the secret.
     *
     * @throws SecureModeException in secure mode
     * @throws TokenStateException when the token is revoked, or no copy of its secret is stored
     */
    public Optional<TokenSecret> revealForSnippets(TokenId id) {
        return secrets.reveal(id, SecretUse.SNIPPETS);
    }

    /**
     * The active token that {@code secret} belongs to; empty for an unknown, expired or revoked
     * secret. Served from the cache when possible, so it usually costs one HMAC and no I/O.
     */
    public Optional<VerifiedToken> verify(TokenSecret secret) {
        return lookup.verify(secret);
    }

    /**
     * The active token that {@code secret} belongs to, if the cache can say so without the
     * database; empty when it cannot, or when the cached token is no longer active. Empty proves
     * nothing: {@link #verify(TokenSecret)} decides.
     */
    public Optional<VerifiedToken> verifyFromMemory(TokenSecret secret) {
        return lookup.verifyFromMemory(secret);
    }

    /**
     * The token {@code secret} belongs to, active or not, for telling an unknown secret from an
     * expired or revoked token (the audit log keeps the precise reason for a refusal). Never
     * authenticate with it: {@link #verify(TokenSecret)} does that.
     */
    public Optional<Token> identify(TokenSecret secret) {
        return lookup.identify(secret);
    }

    /** {@link #identify} if the cache can answer without the database; empty proves nothing. */
    public Optional<Token> identifyFromMemory(TokenSecret secret) {
        return lookup.identifyFromMemory(secret);
    }

    /** Notes that a token authenticated a request; never blocks. */
    public void recordUse(TokenId id, String clientIp) {
        usage.recordUse(id, now(), clientIp);
    }

    /**
     * In secure mode, erases every stored encrypted copy of a secret (call once at start-up);
     * in standard mode does nothing.
     *
     * @return how many copies were erased
     */
    public int enforceSecureMode() {
        return secrets.enforceSecureMode();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public String toString() {
        return "TokenService[secureMode=" + policy.secureMode() + ", maxLifetimeDays=" + policy.maxLifetimeDays() + "]";
    }
}
