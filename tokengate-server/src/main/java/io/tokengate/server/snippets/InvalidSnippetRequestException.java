package io.tokengate.server.snippets;

/**
 * A sample call that no snippet can be generated for: a missing field, a URL that is not
 * absolute http(s), a body on a GET. The admin API answers 400 and names {@link #field()}. The
 * message never contains the token secret.
 */
public final class InvalidSnippetRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String reason;

    InvalidSnippetRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    /**
     * The field's name as {@link SnippetRequest} spells it: publicUrl, user, secret, method,
     * pathAndQuery, body, contentType.
     */
    public String field() {
        return field;
    }

    /** What is wrong with the field, without its name (which the message starts with). */
    public String reason() {
        return reason;
    }
}
