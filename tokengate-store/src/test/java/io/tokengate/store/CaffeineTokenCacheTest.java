package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.limits.Limits;
import io.tokengate.core.token.IpAllowList;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenDigest;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.VerifiedToken;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CaffeineTokenCacheTest {
    static final Instant START = Instant.parse("2026-11-28T10:00:00Z");
    final MutableClock clock = new MutableClock(START);
    final AtomicBoolean trusted = new AtomicBoolean(true);
    final CaffeineTokenCache cache = new CaffeineTokenCache(Duration.ofSeconds(30), clock, trusted::get);
    final TokenDigest digest = TokenDigest.fromHex("ab".repeat(32));
    final TokenId id = new TokenId("tok_AAAAAAAAAAAAAAAA");
    final Optional<VerifiedToken> found = Optional.of(new VerifiedToken(token(id), Limits.none()));
    final AtomicInteger loads = new AtomicInteger();

    static Token token(TokenId id) {
        return new Token(
                id,
                "t",
                Optional.empty(),
                "admin",
                START,
                null,
                "",
                IpAllowList.any(),
                Optional.empty(),
                null,
                null,
                null,
                0,
                "tgk_…abcd");
    }

    Optional<VerifiedToken> get(Optional<VerifiedToken> answer) {
        return cache.get(digest, d -> {
            loads.incrementAndGet();
            return answer;
        });
    }

    @Test
    void servesHitsWithoutLoadingUntilTheTtl() {
        assertThat(get(found)).isEqualTo(found);
        assertThat(get(Optional.empty())).isEqualTo(found);
        assertThat(loads).hasValue(1);
        clock.advance(Duration.ofSeconds(31));
        assertThat(get(Optional.empty())).isEmpty();
        assertThat(loads).hasValue(2);
    }

    @Test
    void negativeEntriesAreShortAndDroppedByAnyInvalidation() {
        assertThat(get(Optional.empty())).isEmpty();
        assertThat(get(found)).as("negative entry served").isEmpty();
        cache.invalidate(new TokenId("tok_BBBBBBBBBBBBBBBB")); // e.g. another token was created
        assertThat(get(found)).isEqualTo(found);

        cache.invalidateAll();
        assertThat(get(Optional.empty())).isEmpty();
        clock.advance(Duration.ofSeconds(CaffeineTokenCache.NEGATIVE_TTL_SECONDS + 1));
        assertThat(get(found)).isEqualTo(found);
    }

    @Test
    void invalidatesByTokenId() {
        get(found);
        cache.invalidate(id);
        assertThat(get(Optional.empty())).isEmpty();
    }

    @Test
    void bypassesTheCacheWhileUntrusted() {
        get(found);
        trusted.set(false);
        assertThat(get(Optional.empty())).as("loaded, not cached").isEmpty();
        assertThat(get(found)).isEqualTo(found);
        assertThat(cache.bypassed()).isEqualTo(2);
        trusted.set(true);
        cache.invalidateAll(); // what the listener does on reconnecting
        assertThat(get(Optional.empty())).isEmpty();
    }

    @Test
    void aLoadOverlappingAnInvalidationIsNotKept() {
        Optional<VerifiedToken> stale = cache.get(digest, d -> {
            cache.invalidate(id); // the token is revoked while we read the old row
            return found;
        });
        assertThat(stale).isEqualTo(found);
        assertThat(get(Optional.empty())).as("the stale row was not cached").isEmpty();
    }

    @Test
    void peekServesOnlyWhatGetWouldServeFromMemory() {
        assertThat(cache.peek(digest)).as("nothing cached yet").isEmpty();
        get(Optional.empty());
        assertThat(cache.peek(digest)).as("a negative entry says nothing").isEmpty();
        cache.invalidateAll();
        get(found);
        assertThat(cache.peek(digest)).isEqualTo(found);
        assertThat(loads).as("peek never loads").hasValue(2);

        trusted.set(false);
        assertThat(cache.peek(digest))
                .as("untrusted: only the database may answer")
                .isEmpty();
        trusted.set(true);
        cache.invalidate(id);
        assertThat(cache.peek(digest)).as("invalidated").isEmpty();
        get(found);
        clock.advance(Duration.ofSeconds(31));
        assertThat(cache.peek(digest)).as("expired").isEmpty();
        assertThat(loads).hasValue(3);
    }

    @Test
    void zeroTtlCachesNothing() {
        CaffeineTokenCache none = new CaffeineTokenCache(Duration.ZERO, clock, () -> true);
        none.get(digest, d -> found);
        assertThat(none.get(digest, d -> Optional.empty())).isEmpty();
        assertThat(none.peek(digest)).isEmpty();
    }
}
