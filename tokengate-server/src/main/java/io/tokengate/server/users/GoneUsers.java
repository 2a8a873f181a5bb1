package io.tokengate.server.users;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokengate.server.gateway.UserGone;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What Jira's answers about users said of those it no longer lets act ({@link UserGone}), kept
 * apart from the answers themselves: fresh (within the answers' lifetime) for the data plane to
 * refuse on, and for a day for token listings to flag, with the time Jira said so. A later answer
 * that knows the user forgets it; an answer that cannot tell (Jira refusing the service account or
 * the user's stored credential, or not asked) leaves it as it was. In memory, per node.
 */
final class GoneUsers {
    /** How long a listing flags a user after Jira last said they are gone. */
    static final Duration KEPT = Duration.ofDays(1);

    private final Duration fresh;
    private final Clock clock;
    private final Cache<String, UserGone> said =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(KEPT).build();

    GoneUsers(Duration fresh, Clock clock) {
        this.fresh = fresh;
        this.clock = clock;
    }

    /** Takes in what Jira just said of {@code name}. */
    void learn(String name, JiraVerdict verdict) {
        String key = name.toLowerCase(Locale.ROOT);
        switch (verdict.standing()) {
            case UNKNOWN, DEACTIVATED, NO_SUCH_USER -> said.put(
                    key,
                    new UserGone(verdict.why().orElse("Jira does not know " + name), verdict.gone(), clock.instant()));
            case USER, ADMINISTRATOR -> said.invalidate(key);
            case NOT_ASKED, CREDENTIAL_REFUSED, SERVICE_ACCOUNT_REFUSED -> {}
        }
    }

    /** Forgets what Jira said of {@code name}: it took a call as them since. */
    void forget(String name) {
        if (said.estimatedSize() == 0) {
            return; // the usual case, on every call Jira takes: nothing to forget, nothing to allocate
        }
        String key = name.toLowerCase(Locale.ROOT);
        if (said.getIfPresent(key) != null) {
            said.invalidate(key);
        }
    }

    /** What Jira said within the answers' lifetime. */
    Optional<UserGone> now(String name) {
        if (said.estimatedSize() == 0) {
            return Optional.empty(); // the usual case, on every request of a bound token
        }
        return last(name).filter(g -> g.learntAt().plus(fresh).isAfter(clock.instant()));
    }

    /** What Jira said last, within {@link #KEPT}. */
    Optional<UserGone> last(String name) {
        return Optional.ofNullable(said.getIfPresent(name.toLowerCase(Locale.ROOT)));
    }
}
