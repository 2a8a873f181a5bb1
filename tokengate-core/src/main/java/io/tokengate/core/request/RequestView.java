package io.tokengate.core.request;

import java.util.List;

/**
 * What the restriction language may ask about a request. Implementations answer from the exact
 * bytes that will be forwarded, so that what is authorized is what the upstream receives.
 */
public interface RequestView {
    /** The HTTP method in upper case, e.g. {@code GET}. */
    String method();

    /**
     * {@code PUBLIC_URL + canonical path}: the configured external base URL of the gateway (never
     * the request's Host header) followed by the {@link CanonicalPath}, without the query string.
     */
    String url();

    /** The decoded values of query parameter {@code name}, in request order; empty when absent. */
    List<String> queryValues(String name);

    /** The JSON node of the request body at {@code path}, or why there is none. */
    JsonLookup json(JsonPath path);
}
