package io.tokengate.core.limits;

import io.tokengate.core.request.RequestView;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code [GET|POST]}: the request method is one of those listed. */
public final class MethodCondition implements Condition {
    /** The methods the language knows, in the order the canonical form lists them. */
    static final List<String> KNOWN = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    private final Set<String> methods;

    MethodCondition(Set<String> methods) {
        if (methods.isEmpty() || !KNOWN.containsAll(methods)) {
            throw new IllegalArgumentException("methods must be a non-empty subset of " + KNOWN);
        }
        this.methods = Set.copyOf(methods);
    }

    static boolean isKnown(String name) {
        return KNOWN.contains(name.toUpperCase(Locale.ROOT));
    }

    public Set<String> methods() {
        return methods;
    }

    @Override
    public boolean matches(RequestView request) {
        return methods.contains(request.method());
    }

    @Override
    public String mismatch(RequestView request) {
        return "method " + request.method() + " is not " + String.join(" or ", ordered());
    }

    private List<String> ordered() {
        return KNOWN.stream().filter(methods::contains).collect(Collectors.toList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MethodCondition that && methods.equals(that.methods);
    }

    @Override
    public int hashCode() {
        return methods.hashCode();
    }

    @Override
    public String toString() {
        return "[" + String.join("|", ordered()) + "]";
    }
}
