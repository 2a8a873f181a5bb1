package io.tokengate.core.token;

import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Port: where {@link TokenService} keeps tokens. Every method is one transaction; a change is
 * visible to every node once the method returns. Implementations throw a {@link
 * io.tokengate.core.TokengateException} subclass when the store cannot be reached, never a checked
 * exception.
 */
public interface TokenRepository {
    /**
     * Stores a new token under the digest of its secret, with the encrypted copy of the secret
     * ({@code sealedSecret}, null in secure mode). Usage starts at zero.
     */
    void insert(Token token, TokenDigest digest, byte[] sealedSecret);

    Optional<Token> findById(TokenId id);

    /** The token whose secret has this digest, whatever its status. */
    Optional<Token> findByDigest(TokenDigest digest);

    /** Tokens matching {@code query}, newest first; statuses are judged at {@code now}. */
    TokenPage list(TokenQuery query, Instant now);

    /**
     * Replaces the editable fields (name, limits, expiry, allowed IPs, rate limit) of the stored
     * token with those of {@code change(stored)}, in one transaction that holds the token's row
     * from the read to the write: two edits at once, on one node or two, apply one after the other,
     * each to what the other left, and an edit never undoes another. {@code change} may throw to
     * change nothing.
     *
     * @return the token as {@code change} returned it; empty when no token has that id
     */
    Optional<Token> updateEditable(TokenId id, UnaryOperator<Token> change);

    /**
     * Replaces the secret: digest, encrypted copy (null in secure mode) and hint. The old secret
     * stops matching when this returns. A revoked token keeps the secret it was revoked with.
     *
     * @return false when no token has that id, or it is revoked
     */
    boolean replaceSecret(TokenId id, TokenDigest digest, byte[] sealedSecret, String hint);

    /**
     * Marks the token revoked at {@code at} unless it already is: of calls at once, on one node or
     * several, exactly one revokes.
     */
    Revocation revoke(TokenId id, Instant at);

    /** What {@link #revoke} did. */
    enum Revocation {
        /** This call revoked the token. */
        REVOKED,
        /** The token was revoked before this call; nothing changed. */
        ALREADY_REVOKED,
        NO_SUCH_TOKEN
    }

    /** @return false when no token has that id */
    boolean delete(TokenId id);

    /** The encrypted copy of the token's secret; empty when the token or the copy does not exist. */
    Optional<byte[]> sealedSecret(TokenId id);

    /** Erases every encrypted copy (secure mode at start-up); returns how many were erased. */
    int eraseSealedSecrets();

    /**
     * Whether secure mode is on for the database: a node started in secure mode turned it on, and
     * every node follows it whatever its own setting.
     */
    boolean secureModeRecorded();
}
