package io.tokengate.server.request;

/**
 * A dry run's sample that is not a request at all, whatever a gateway would answer to it: the
 * question is wrong, and {@link #part} says where, so that the admin API names the field and the
 * CLI its option.
 */
public final class BadSampleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The part of the sample that is wrong. */
    public enum Part {
        METHOD,
        URL,
        HEADERS;

        /** The part's name as the admin API's {@code CheckRequest} spells its field. */
        public String field() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Part part;

    public BadSampleException(Part part, String message) {
        super(message);
        this.part = part;
    }

    public Part part() {
        return part;
    }
}
