package io.tokengate.server.users;

import java.util.Objects;
import java.util.Optional;

/**
 * What a session made earlier is now ({@link IdentitySource#renew}): in force, as a principal;
 * in force but confined to the user's account page, because tokengate can no longer ask Jira about
 * them until they replace the upstream credential Jira refuses; or ended.
 *
 * @param principal the user as they are now; empty when the session has ended
 * @param problem why the session is confined or has ended, in words for its user and the audit
 *     log; empty when it is in force
 */
public record Renewal(Optional<Principal> principal, Optional<String> problem) {
    public Renewal {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(problem, "problem");
        if (principal.isEmpty() && problem.isEmpty()) {
            throw new IllegalArgumentException("an ended session needs a reason");
        }
    }

    public static Renewal active(Principal principal) {
        return new Renewal(Optional.of(principal), Optional.empty());
    }

    /** In force for {@code principal} (never an admin's), but only to replace the upstream credential. */
    public static Renewal confined(Principal principal, String problem) {
        if (principal.admin()) {
            throw new IllegalArgumentException("a confined session is never an admin's");
        }
        return new Renewal(Optional.of(principal), Optional.of(problem));
    }

    public static Renewal ended(String why) {
        return new Renewal(Optional.empty(), Optional.of(why));
    }

    public boolean ended() {
        return principal.isEmpty();
    }

    public boolean confined() {
        return principal.isPresent() && problem.isPresent();
    }
}
