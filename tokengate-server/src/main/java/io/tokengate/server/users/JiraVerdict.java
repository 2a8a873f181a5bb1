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
        /** Jira refused to answer as the user (401, 403, 404), or answered for somebody else. */
        UNKNOWN,
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

    /** Whether Jira answered for the user: they are a user or an administrator there. */
    public boolean known() {
        return standing == Standing.USER || standing == Standing.ADMINISTRATOR;
    }
}
