package io.tokengate.store;

/** What a user may do on the admin plane. */
public enum UserRole {
    /** Everything: all tokens, unbound tokens, the whole audit log, settings, users. */
    ADMIN,
    /** Own tokens and own audit records. */
    USER
}
