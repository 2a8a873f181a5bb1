package io.tokengate.core.request;

import java.util.Objects;

/** The answer to "what is at this path of the request body?". */
public sealed interface JsonLookup permits JsonLookup.Found, JsonLookup.Missing, JsonLookup.Unusable {

    /**
     * A node was found. {@code text} is a string's value, the JSON text of a number, boolean or
     * null as it appears in the body, or the compact JSON of an object or array.
     */
    record Found(String text) implements JsonLookup {
        public Found {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The body is JSON, but there is no node at the path. */
    record Missing() implements JsonLookup {}

    /** The body cannot answer at all: absent, not JSON, or with a duplicate key somewhere. */
    record Unusable(String reason) implements JsonLookup {
        public Unusable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static JsonLookup found(String text) {
        return new Found(text);
    }

    static JsonLookup missing() {
        return new Missing();
    }

    static JsonLookup unusable(String reason) {
        return new Unusable(reason);
    }
}
