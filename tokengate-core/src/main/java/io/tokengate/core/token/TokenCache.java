package io.tokengate.core.token;

import java.util.Optional;
import java.util.function.Function;

/**
 * Port: the request path's cache of tokens by digest, so that a known token is verified without a
 * database round trip. Implementations must make invalidation win over a concurrent load: after
 * {@link #invalidate(TokenId)} returns, no value loaded before it may be served.
 */
public interface TokenCache {
    /** A cache that caches nothing: every lookup loads. */
    TokenCache NONE = new TokenCache() {
        @Override
        public Optional<VerifiedToken> get(TokenDigest digest, Function<TokenDigest, Optional<VerifiedToken>> loader) {
            return loader.apply(digest);
        }

        @Override
        public Optional<VerifiedToken> peek(TokenDigest digest) {
            return Optional.empty();
        }

        @Override
        public void invalidate(TokenId id) {}

        @Override
        public void invalidateAll() {}

        @Override
        public String toString() {
            return "TokenCache.NONE";
        }
    };

    /**
     * The token for {@code digest}, from the cache or from {@code loader} (whose answer, found or
     * not, may be cached for a bounded time).
     */
    Optional<VerifiedToken> get(TokenDigest digest, Function<TokenDigest, Optional<VerifiedToken>> loader);

    /**
     * The token for {@code digest} if this cache holds it and may serve it now; never loads, so
     * it never waits on the database. Empty proves nothing: the token may still exist, and only
     * {@link #get} can say.
     */
    Optional<VerifiedToken> peek(TokenDigest digest);

    /**
     * Drops every entry of token {@code id} and every negative entry (so a token just created or
     * rotated is found at once).
     */
    void invalidate(TokenId id);

    void invalidateAll();
}
