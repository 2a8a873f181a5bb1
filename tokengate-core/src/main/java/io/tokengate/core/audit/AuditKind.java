package io.tokengate.core.audit;

/** What an audit record is about: a data-plane request, or one kind of admin action. */
public enum AuditKind {
    /** A data-plane request that presented credentials, allowed or not. */
    REQUEST,
    TOKEN_CREATE,
    TOKEN_EDIT,
    TOKEN_ROTATE,
    TOKEN_REVEAL,
    TOKEN_REVOKE,
    TOKEN_DELETE,
    LOGIN,
    LOGIN_FAILED,
    SETTING_CHANGE,
    USER_ADD,
    USER_EDIT,
    USER_REMOVE,
    /** A local user's password was set by an admin, or changed by the user; never with the password. */
    USER_PASSWORD,
    /** A backup of the embedded database was taken. */
    BACKUP,
    /** An admin lifted the login throttle of a client address (its failed logins forgotten). */
    THROTTLE_LIFTED,
    /**
     * A session tokengate ended, not its user: the identity source no longer vouches for the user
     * (Jira no longer knows them, say); the reason says why.
     */
    SESSION_ENDED;

    public boolean isAdminAction() {
        return this != REQUEST;
    }
}
