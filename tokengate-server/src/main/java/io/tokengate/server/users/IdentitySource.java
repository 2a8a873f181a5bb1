package io.tokengate.server.users;

import java.util.Optional;

/**
 * Checks a user name and password for the admin plane: local users ({@link LocalUsers}) or Jira
 * ({@link JiraIdentity}), chosen by {@code identity.source}.
 */
public interface IdentitySource {
    /**
     * @return the principal when the credentials are right; empty when they are not
     * @throws IdentityUnavailableException when they cannot be checked now (Jira unreachable)
     */
    Optional<Principal> authenticate(String user, char[] password);

    /**
     * The principal as it is now, for a session made earlier: empty when the user no longer may
     * sign in. Sources that cannot tell without the password keep {@code signedIn}.
     */
    Optional<Principal> refresh(Principal signedIn);

    /** {@code local} or {@code jira}. */
    String label();
}
