package io.tokengate.server.gateway;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Header and parameter names an administrator has the gateway refuse besides its own ({@code
 * gateway.refused.headers}, {@code gateway.refused.parameters}): those by which an app installed in
 * Jira runs a request as another user, or does what a token's limits cannot see, and which the
 * gateway does not know of. They are refused (400) as the built-in ones are, by the gateway and by
 * the dry runs: a header in any letter case and with {@code _} for {@code -}; a parameter in any
 * letter case, in the query or in a form body the gateway reads.
 *
 * @param headers header names, normalized ({@link UpstreamIdentity#normalize})
 * @param parameters parameter names, in lower case
 */
public record RefusedNames(Set<String> headers, Set<String> parameters) {
    /** Nothing refused besides what the gateway always refuses. */
    public static final RefusedNames NONE = new RefusedNames(Set.of(), Set.of());

    /** The two settings' names, as configured; they are normalized here. */
    public RefusedNames {
        headers = normalized(headers, UpstreamIdentity::normalize);
        parameters = normalized(parameters, name -> name.toLowerCase(Locale.ROOT));
    }

    /**
     * Why {@code header} may not be refused by configuration: it is not a header name, or the
     * gateway reads it itself (the message names which), so some or every request would be refused
     * for what it must send.
     */
    public static Optional<String> notRefusable(String header) {
        if (!RequestScreen.isFieldName(header)) {
            return Optional.of("'" + header + "' is not a header name");
        }
        return RequestScreen.CONTROLLED.contains(UpstreamIdentity.normalize(header))
                ? Optional.of(header + " is a header the gateway reads itself; clients must be able to send it")
                : Optional.empty();
    }

    /** Whether a header, its name {@linkplain UpstreamIdentity#normalize normalized}, is refused. */
    boolean refusesHeader(String normalized) {
        return headers.contains(normalized);
    }

    /** The first refused parameter's name as the request spells it, when it has one. */
    Optional<String> parameterIn(Collection<String> names) {
        if (parameters.isEmpty()) {
            return Optional.empty();
        }
        for (String name : names) {
            if (parameters.contains(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static Set<String> normalized(Set<String> names, UnaryOperator<String> normalize) {
        return names.stream().map(normalize).collect(Collectors.toUnmodifiableSet());
    }
}
