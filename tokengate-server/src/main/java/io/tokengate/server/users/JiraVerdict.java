package io.tokengate.server.users;

import java.util.Objects;
import java.util.Optional;

/**
 * What Jira says of a user, asked as them ({@link JiraUserDirectory#verdict}), and, unless it
 * knows them, why not, in words for a refusal's message and the audit log.
 */
public record JiraVerdict(JiraVerdict.Standing standing, Optional<String> why) {
    /** What Jira says of a user. */
    public enum Standing {
        /**
         * Jira cannot be asked as this user: {@code upstream.identity} cannot name them, or needs an
         * upstream credential they have not stored.
         */
        NOT_ASKED,
        /**
         * Jira refused to answer as the user (401, 403, 404), or answered for somebody else, and
         * could not be asked more (no lookup account): deleted or deactivated, most likely, though
         * a name Jira never had, or an identity misconfigured, looks the same.
         */
        UNKNOWN,
        /** Jira says so itself: {@code GET /rest/api/2/user} shows the user with {@code active: false}. */
        DEACTIVATED,
        /** Jira says so itself: {@code GET /rest/api/2/user} answers 404, it has no such user (deleted). */
        NO_SUCH_USER,
        /**
         * Jira refuses the upstream credential the user stored ({@code user-credential}: 401 or 403
         * to it), an expired or revoked personal access token, say: nothing can be told of the user
         * until they store one Jira takes.
         */
        CREDENTIAL_REFUSED,
        /**
         * Jira refuses the service account itself ({@code service-account}), so it cannot be asked
         * about anybody: nothing can be told of the user.
         */
        SERVICE_ACCOUNT_REFUSED,
        /** A Jira user without the {@code ADMINISTER} permission. */
        USER,
        /** A Jira administrator. */
        ADMINISTRATOR
    }

    public JiraVerdict {
        Objects.requireNonNull(standing, "standing");
        Objects.requireNonNull(why, "why");
    }

    /**
     * Whether Jira said itself, asked about the user rather than as them, that no such user may act
     * there now: deactivated, or deleted. Unlike {@link Standing#UNKNOWN}, not a refusal that a
     * misconfiguration could cause too.
     */
    public boolean gone() {
        return standing == Standing.DEACTIVATED || standing == Standing.NO_SUCH_USER;
    }

    /** Whether Jira answered for the user: they are a user or an administrator there. */
    public boolean known() {
        return standing == Standing.USER || standing == Standing.ADMINISTRATOR;
    }
}
