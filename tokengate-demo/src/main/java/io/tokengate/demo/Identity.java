package io.tokengate.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;

/**
 * How the demo upstream decides who the caller is: one per mode of the gateway's {@code
 * upstream.identity}. Whatever the mode, the demo also accepts {@code Authorization: Basic
 * name:password} of a user in its own directory, as Jira accepts passwords.
 *
 * <p>A name presented by any mode is mapped to a directory user by name or e-mail
 * (case-insensitive); a name the directory does not know is accepted as it is, with a plain,
 * non-admin profile, because the gateway's unbound tokens run as any user name and it is the
 * gateway, not this fixture, that must decide who may do what.
 */
public final class Identity {
    /** The header that {@link #header(String)} trusts unless told otherwise. */
    public static final String DEFAULT_HEADER = "X-Forwarded-User";

    /** The header a service account names the user it acts for with, as Extender for Jira does. */
    public static final String CONTEXT_USER_HEADER = "contextUser";

    private final String description;
    private final Authenticator authenticator;

    private Identity(String description, Authenticator authenticator) {
        this.description = description;
        this.authenticator = authenticator;
    }

    /**
     * Trust the header {@code name} as the effective user, as behind a single-sign-on proxy. A
     * request without it, or with it more than once, is 401.
     */
    public static Identity header(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the identity header needs a name, e.g. " + DEFAULT_HEADER);
        }
        return new Identity("header " + name, headers -> single(headers, name));
    }

    /**
     * Require {@code Authorization: Basic} with exactly these credentials; the effective user is
     * the {@value #CONTEXT_USER_HEADER} header if present, else {@code user}. Anything else is 401.
     */
    public static Identity serviceAccount(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return new Identity("service account " + user, headers -> BasicCredentials.of(headers)
                .filter(credentials -> MessageDigest.isEqual(credentials.bytes(), expected))
                .map(credentials -> single(headers, CONTEXT_USER_HEADER).orElse(user)));
    }

    /**
     * Require {@code Authorization: Bearer TOKEN} with a token of {@code tokensToUsers}, whose
     * value is the effective user, as with Jira personal access tokens. An unknown token is 401.
     */
    public static Identity userCredentials(Map<String, String> tokensToUsers) {
        Map<String, String> tokens = Map.copyOf(tokensToUsers);
        return new Identity(
                "user credentials (" + tokens.size() + " tokens)",
                headers -> AuthorizationHeader.credentials(headers, "bearer").map(tokens::get));
    }

    /** The name the request presents as its user, if its credentials are valid in this mode. */
    Optional<String> authenticate(HttpFields headers) {
        return authenticator.authenticate(headers);
    }

    private static Optional<String> single(HttpFields headers, String name) {
        List<String> values = headers.getValuesList(name);
        if (values.size() != 1 || values.get(0).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(values.get(0).strip());
    }

    @Override
    public String toString() {
        return "Identity[" + description + "]";
    }

    @FunctionalInterface
    private interface Authenticator {
        Optional<String> authenticate(HttpFields headers);
    }
}
