package io.tokengate.server.admin;

import io.tokengate.server.gateway.DirectoryUnavailableException;
import io.tokengate.server.gateway.UserGone;
import io.tokengate.server.users.JiraUserDirectory;
import io.tokengate.server.users.JiraVerdict;
import java.util.Optional;

/**
 * With {@code identity.source = jira}, a token is bound only to a user Jira knows: one bound to a
 * name Jira does not have (a typo, a display name, a user since deleted) would be refused at
 * every call, and would stand ready for whoever gets that name later. Jira is asked as the data
 * plane asks it ({@link JiraUserDirectory}, answers kept 30 s).
 *
 * <p>Where Jira can be asked about the user only with a credential they store ({@code
 * user-credential}: none stored yet, or one Jira now refuses), the token is bound all the same: it
 * acts in Jira only once the user stores a credential, which Jira must take as theirs first.
 */
final class JiraBinding {
    private final JiraUserDirectory jira;

    /** @param jira Jira's directory; null when users are local, and any name may be bound */
    JiraBinding(JiraUserDirectory jira) {
        this.jira = jira;
    }

    /**
     * @throws ApiError 400 when Jira does not know {@code user}; 503 when Jira cannot be asked
     *     (unreachable, or refusing tokengate's service account): no token is bound unchecked
     */
    void requireKnown(String user) {
        if (jira == null) {
            return;
        }
        JiraVerdict verdict;
        try {
            verdict = jira.verdict(user);
        } catch (DirectoryUnavailableException e) {
            throw unavailable(user, e.getMessage());
        }
        switch (verdict.standing()) {
            case USER, ADMINISTRATOR, NOT_ASKED, CREDENTIAL_REFUSED -> {}
            case SERVICE_ACCOUNT_REFUSED -> throw unavailable(
                    user, verdict.why().orElse("it refuses the service account"));
            case UNKNOWN, DEACTIVATED, NO_SUCH_USER -> throw ApiError.badRequest(
                    "user",
                    verdict.why().orElse("Jira does not know " + user) + "; a token bound to " + user
                            + " would be refused at every call. Give the user's Jira user name (not the display name).");
        }
    }

    /**
     * What Jira last said (within a day) of {@code user} no longer acting there, for token listings;
     * never asks Jira: empty when nothing was learnt, and with local users.
     */
    Optional<UserGone> lastGone(String user) {
        return jira == null ? Optional.empty() : jira.lastGone(user);
    }

    private static ApiError unavailable(String user, String why) {
        return new ApiError(
                503,
                "Cannot ask Jira whether it knows " + user + " (" + why + "), and no token is bound to a user Jira"
                        + " has not vouched for; try again shortly.",
                null,
                null);
    }
}
