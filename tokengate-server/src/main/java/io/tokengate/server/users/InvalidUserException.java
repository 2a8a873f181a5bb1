package io.tokengate.server.users;

/** A user field that is not acceptable; the admin plane answers 400 and names {@link #field()}. */
public final class InvalidUserException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    InvalidUserException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The field as the admin API spells it: name, email, displayName, role, password. */
    public String field() {
        return field;
    }
}
