package io.tokengate.server.request;

import java.util.Collection;
import java.util.Optional;

/**
 * The query parameter by which some frameworks let a request claim another method than its
 * request line's: {@code _method} (Jersey's {@code PostReplaceFilter}, Rails, Laravel). The
 * gateway refuses it, as it refuses the method-override headers, since restrictions judge the
 * method on the request line; and so does a dry run.
 */
public final class MethodOverride {
    static final String PARAMETER = "_method";

    private MethodOverride() {}

    /** The parameter's name as the request spells it (any case), when it has one. */
    public static Optional<String> parameterIn(Collection<String> names) {
        for (String name : names) { // on every request: no stream to build
            if (name.equalsIgnoreCase(PARAMETER)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
