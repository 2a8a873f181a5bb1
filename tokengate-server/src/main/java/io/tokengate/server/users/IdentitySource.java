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
     * The principal when these very credentials were checked recently and the account has not
     * changed since; empty otherwise, also when they are right but were not checked lately. Answers
     * without the slow part of a check (a password hash, a call to Jira), so a caller may skip
     * whatever guards the slow part against guessing: only the right password is remembered. By
     * default nothing is.
     *
     * @throws IdentityUnavailableException when it cannot be told now
     */
    default Optional<Principal> remembered(String user, char[] password) {
        return Optional.empty();
    }

    /**
     * The principal as it is now, for a session made earlier: empty when the user no longer may
     * sign in. Sources that cannot tell without the password keep {@code signedIn}.
     */
    Optional<Principal> refresh(Principal signedIn);

    /**
     * {@link #refresh}, for a session, with why it ends when it does; by default, because the user
     * may no longer sign in. A source may confine a session rather than end it ({@link
     * Renewal#confined}).
     *
     * @throws IdentityUnavailableException when it cannot be told now
     */
    default Renewal renew(Principal signedIn) {
        return refresh(signedIn)
                .map(Renewal::active)
                .orElseGet(() -> Renewal.ended("User " + signedIn.name() + " may no longer sign in"));
    }

    /**
     * For a cache of verified credentials: {@code user} as it is now (the principal, from {@link
     * #refresh}), with a stamp that changes whenever the account's credentials do (the same name
     * given to a new account, a new password); empty when the user may no longer sign in. The
     * default, for sources whose credentials tokengate does not keep, stamps nothing.
     *
     * @throws IdentityUnavailableException when it cannot be told now
     */
    default Optional<Standing> standing(Principal verified) {
        return refresh(verified).map(principal -> new Standing(principal, ""));
    }

    /**
     * The stamp of {@code user}'s credentials as kept now (as {@link #standing} gives it), for a
     * cache to tell whether they changed while it checked a password; {@code ""} when the user may
     * not sign in, or when tokengate keeps no credentials of theirs.
     *
     * @throws IdentityUnavailableException when it cannot be told now
     */
    default String credentialStamp(Principal user) {
        return standing(user).map(Standing::credentialStamp).orElse("");
    }

    /** A user as it is now, and the stamp of the credentials it signs in with. */
    record Standing(Principal principal, String credentialStamp) {}

    /** {@code local} or {@code jira}. */
    String label();
}
