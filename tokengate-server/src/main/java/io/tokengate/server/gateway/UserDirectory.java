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
