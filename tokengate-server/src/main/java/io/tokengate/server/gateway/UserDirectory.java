package io.tokengate.server.gateway;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the data plane needs to know about users: e-mail (a bound token may be used with the
 * user's e-mail), whether they may run requests as someone else, and their upstream credential in
 * {@code user-credential} mode. Implementations cache, so that a request does not wait on a
 * database round trip: the local users ({@code StoreUserDirectory}), and with {@code
 * identity.source = jira} what Jira says of them ({@code JiraUserDirectory}), which may throw
 * {@link DirectoryUnavailableException}.
 */
public interface UserDirectory {
    Optional<DirectoryUser> find(String nameOrEmail);

    /**
     * Why the source of users behind this directory (Jira) does not know {@code name}, or cannot
     * tell, in words for a refusal's reason; empty when it knows them, or when this directory has
     * no such source (local users: not found is all there is to say).
     */
    default Optional<String> whyUnknown(String name) {
        return Optional.empty();
    }

    /**
     * Whether the last answer of the source of users (Jira), still fresh, says {@code name} can no
     * longer act there ({@link UserGone}); never asks, never blocks. Empty when no fresh answer is
     * at hand, or it says otherwise, and for directories without such a source.
     */
    default Optional<UserGone> goneNow(String name) {
        return Optional.empty();
    }

    /**
     * Why the last fresh answer of the source of users refused {@code name}, for whatever cause (the
     * user gone, their stored credential refused, the service account refused); never asks, never
     * blocks. Empty when no fresh answer is at hand or it knows them.
     */
    default Optional<String> refusedNow(String name) {
        return Optional.empty();
    }

    /**
     * Has the source of users asked about {@code name} in the background, unless a fresh answer is
     * at hand: after the upstream refused a call made as them, so that the next request, and token
     * listings, learn why. Never blocks; does nothing for directories without such a source.
     */
    default void learnAbout(String name) {}

    /**
     * The upstream took a call made as {@code name}: whatever was learnt of them being gone no
     * longer holds (activated again, or the name given to somebody new). Never blocks.
     */
    default void upstreamAccepted(String name) {}

    /** A directory that knows nobody: only token names and admins by token are recognised. */
    static UserDirectory empty() {
        return name -> Optional.empty();
    }

    /**
     * Group names as run-as compares them ({@code runas.groups} against a user's groups): in lower
     * case, since group names match without regard to case.
     */
    static Set<String> groupKeys(Collection<String> groups) {
        return groups.stream().map(g -> g.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param groups the groups the user is in; kept as {@link #groupKeys} gives them
     * @param upstreamCredential the decrypted upstream credential, when one is stored
     */
    record DirectoryUser(
            String name, String email, boolean admin, Set<String> groups, Optional<String> upstreamCredential) {
        public DirectoryUser {
            groups = groupKeys(groups);
        }

        @Override
        public String toString() {
            return "DirectoryUser[" + name + (admin ? ", admin" : "") + "]";
        }
    }
}
