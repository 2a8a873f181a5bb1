package io.tokengate.core.token;

/** Where a token is in its life. Only an {@link #ACTIVE} token authenticates anything. */
public enum TokenStatus {
    ACTIVE,
    /** Its expiry has passed. */
    EXPIRED,
    /** Revoked by its owner or an admin; final, whatever the expiry says. */
    REVOKED
}
