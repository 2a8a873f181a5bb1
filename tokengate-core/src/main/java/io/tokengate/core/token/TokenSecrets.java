package io.tokengate.core.token;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The secrets' half of {@link TokenService}: what is stored of a secret (its digest, the lookup
 * key, and in standard mode a copy encrypted under the token's id), whether secure mode keeps that
 * copy, and the operations that give a token a new secret or show its secret again.
 *
 * <p>Thread-safe.
 */
final class TokenSecrets {
    /** Logged under the service's name, as it always was: operators filter on it. */
    private static final System.Logger LOG = System.getLogger(TokenService.class.getName());

    private final TokenRepository repository;
    private final TokenCache cache;
    private final TokenDigester digester;
    private final SecretCipher cipher;
    private final TokenPolicy policy;
    private final SecureRandom random;

    TokenSecrets(
            TokenRepository repository,
            TokenCache cache,
            TokenDigester digester,
            SecretCipher cipher,
            TokenPolicy policy,
            SecureRandom random) {
        this.repository = repository;
        this.cache = cache;
        this.digester = digester;
        this.cipher = cipher;
        this.policy = policy;
        this.random = random;
    }

    /** {@link TokenService#secureMode()}: this node's setting, or the database's. */
    boolean secureMode() {
        return policy.secureMode() || repository.secureModeRecorded();
    }

    /** Stores a new token with its secret's digest and, in standard mode, its encrypted copy. */
    void insert(Token token, TokenSecret secret) {
        byte[] sealed = sealed(token.id(), secret);
        repository.insert(token, digester.digest(secret), sealed);
        eraseIfSecureModeCameMeanwhile(sealed);
    }

    /** {@link TokenService#rotate}. */
    Optional<CreatedToken> rotate(TokenId id) {
        Optional<Token> found = repository.findById(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.get().revokedAt() != null) {
            throw new TokenStateException("token " + id + " is revoked; a revoked token cannot be rotated");
        }
        TokenSecret secret = TokenSecret.generate(random);
        byte[] sealed = sealed(id, secret);
        boolean replaced = repository.replaceSecret(id, digester.digest(secret), sealed, secret.hint());
        cache.invalidate(id);
        if (!replaced) { // gone, or revoked since it was read
            if (repository.findById(id).isPresent()) {
                throw new TokenStateException("token " + id + " is revoked; a revoked token cannot be rotated");
            }
            return Optional.empty();
        }
        eraseIfSecureModeCameMeanwhile(sealed);
        return repository.findById(id).map(token -> new CreatedToken(token, secret));
    }

    /** {@link TokenService#reveal} and {@link TokenService#revealForSnippets}: refusals name {@code use}. */
    Optional<TokenSecret> reveal(TokenId id, SecretUse use) {
        if (secureMode()) {
            throw use.inSecureMode(id);
        }
        Optional<Token> found = repository.findById(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.get().revokedAt() != null) {
            throw use.revoked(id);
        }
        byte[] sealed = repository.sealedSecret(id).orElseThrow(() -> use.notStored(id));
        return Optional.of(cipher.open(id, sealed));
    }

    /** {@link TokenService#enforceSecureMode()}. */
    int enforceSecureMode() {
        if (!secureMode()) {
            return 0;
        }
        int erased = repository.eraseSealedSecrets();
        if (erased > 0) {
            LOG.log(System.Logger.Level.INFO, "secure mode: erased {0} stored token secrets", erased);
        }
        return erased;
    }

    /**
     * After a copy sealed in standard mode is stored: when another node turned secure mode on for
     * the database since the mode was read, erases it, as that node's erasure could not (the copy
     * was not stored yet). That node records the mode before it erases ({@code SecureModeKeeping}),
     * so one of the two sees the other's write: its erasure our copy, or this read its mode.
     */
    private void eraseIfSecureModeCameMeanwhile(byte[] sealed) {
        if (sealed != null) {
            enforceSecureMode();
        }
    }

    private byte[] sealed(TokenId id, TokenSecret secret) {
        return secureMode() ? null : cipher.seal(id, secret);
    }
}
