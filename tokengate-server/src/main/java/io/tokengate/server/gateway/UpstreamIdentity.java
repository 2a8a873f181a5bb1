package io.tokengate.server.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * How the upstream learns who a forwarded request runs as ({@code upstream.identity}).
 *
 * <ul>
 *   <li>{@code header}: the upstream trusts the gateway and reads the effective user from a
 *       header (default {@code X-Forwarded-User});
 *   <li>{@code service-account}: the gateway authenticates with its own Basic or Bearer credential
 *       and names the effective user in {@code contextUser} (Jira with Extender);
 *   <li>{@code user-credential}: each user's own upstream credential, kept encrypted by tokengate,
 *       is sent as a Bearer token.
 * </ul>
 *
 * <p>{@link #toString()} never prints a credential.
 */
public abstract sealed class UpstreamIdentity {
    public static final String CONTEXT_USER = "contextUser";
    public static final String DEFAULT_HEADER = "X-Forwarded-User";

    private UpstreamIdentity() {}

    public static UpstreamIdentity header(String name) {
        return new Header(name);
    }

    public static UpstreamIdentity serviceAccountBasic(String user, String password) {
        return new ServiceAccount(basic(user, password), user);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static UpstreamIdentity serviceAccountBearer(String token) {
        return new ServiceAccount("Bearer " + token, null);
    }

    public static UpstreamIdentity userCredential() {
        return new UserCredential(null, null);
    }

    /**
     * {@code user-credential}, with an account that only looks users up in Jira ({@link
     * #lookupAuthorization}), never forwards: Basic with {@code user} and {@code password}.
     */
    public static UpstreamIdentity userCredentialWithLookup(String user, String password) {
        return new UserCredential(basic(user, password), user);
    }

    /** {@link #userCredentialWithLookup}, the account authenticating with a Bearer token. */
    public static UpstreamIdentity userCredentialWithLookupBearer(String token) {
        return new UserCredential("Bearer " + token, "bearer");
    }

    /** Header names the client may not send upstream, normalized by {@link #normalize}. */
    abstract boolean isReserved(String normalizedName);

    /** The mode as {@code upstream.identity} spells it: header, service-account or user-credential. */
    public abstract String mode();

    /**
     * Adds the upstream credential and the effective user to a forwarded request.
     *
     * @param userCredential the effective user's decrypted upstream credential ({@code
     *     user-credential} mode only), else null
     */
    public abstract void apply(HttpFields.Mutable headers, String effectiveUser, String userCredential);

    /**
     * Why {@code user} cannot be named to the upstream exactly, or empty when it can. A header
     * value is a byte string: Jetty writes characters above U+00FF as spaces, an upstream may
     * decode Latin-1 or UTF-8, and most trim spaces, so {@code admin😀} or {@code "admin "} could
     * arrive as {@code admin}. Only printable ASCII without surrounding spaces is unambiguous;
     * anything else is refused rather than passed on as possibly somebody else.
     */
    public Optional<String> cannotName(String user) {
        if (user == null || user.isEmpty() || user.length() > 255) {
            return Optional.of("the user name is empty or longer than 255 characters");
        }
        if (user.charAt(0) == ' ' || user.charAt(user.length() - 1) == ' ') {
            return Optional.of("the user name starts or ends with a space");
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.of("the user name has characters outside printable ASCII");
            }
        }
        return Optional.empty();
    }

    /** Whether forwarding needs the effective user's own stored credential. */
    public boolean needsUserCredential() {
        return false;
    }

    /**
     * The {@code Authorization} value tokengate sends for every user ({@code service-account}), or
     * empty. A secret: never for a message or a log.
     */
    public Optional<String> ownAuthorization() {
        return Optional.empty();
    }

    /**
     * The {@code Authorization} value of an account Jira lets look users up ({@code GET
     * /rest/api/2/user?username=}), which tells a deactivated or deleted user from a credential
     * Jira refuses: the service account, or in {@code user-credential} mode one configured for
     * that alone. Empty in {@code header} mode, where the gateway has no account of its own. A
     * secret: never for a message or a log.
     */
    public Optional<String> lookupAuthorization() {
        return ownAuthorization();
    }

    /** Header names compared case-insensitively, with '_' as '-' (some servers treat them alike). */
    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static final class Header extends UpstreamIdentity {
        private final String name;
        private final String normalized;

        Header(String name) {
            if (name == null || !name.matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("invalid identity header name '" + name + "'");
            }
            this.name = name;
            this.normalized = normalize(name);
        }

        @Override
        public String mode() {
            return "header";
        }

        @Override
        boolean isReserved(String normalizedName) {
            return normalizedName.equals(normalized);
        }

        @Override
        public void apply(HttpFields.Mutable headers, String effectiveUser, String userCredential) {
            headers.put(name, effectiveUser);
        }

        @Override
        public String toString() {
            return "header(" + name + ")";
        }
    }

    static final class ServiceAccount extends UpstreamIdentity {
        private final String authorization;
        private final String user;

        ServiceAccount(String authorization, String user) {
            this.authorization = authorization;
            this.user = user;
        }

        @Override
        public String mode() {
            return "service-account";
        }

        @Override
        boolean isReserved(String normalizedName) {
            return false;
        }

        @Override
        public void apply(HttpFields.Mutable headers, String effectiveUser, String userCredential) {
            headers.put(HttpHeader.AUTHORIZATION, authorization);
            headers.put(CONTEXT_USER, effectiveUser);
        }

        @Override
        public Optional<String> ownAuthorization() {
            return Optional.of(authorization);
        }

        @Override
        public String toString() {
            return "service-account(" + (user == null ? "bearer" : "basic " + user) + ")";
        }
    }

    static final class UserCredential extends UpstreamIdentity {
        /** The lookup account's Authorization value; null without one. */
        private final String lookup;
        /** The lookup account as {@link #toString()} names it; null without one. */
        private final String lookupUser;

        UserCredential(String lookup, String lookupUser) {
            this.lookup = lookup;
            this.lookupUser = lookupUser;
        }

        @Override
        public Optional<String> lookupAuthorization() {
            return Optional.ofNullable(lookup);
        }

        @Override
        public String mode() {
            return "user-credential";
        }

        @Override
        boolean isReserved(String normalizedName) {
            return false;
        }

        @Override
        public boolean needsUserCredential() {
            return true;
        }

        /** The user is not named to the upstream in this mode; its own credential speaks for it. */
        @Override
        public Optional<String> cannotName(String user) {
            return Optional.empty();
        }

        @Override
        public void apply(HttpFields.Mutable headers, String effectiveUser, String userCredential) {
            headers.put(HttpHeader.AUTHORIZATION, "Bearer " + userCredential);
        }

        @Override
        public String toString() {
            return lookupUser == null ? "user-credential" : "user-credential(lookup " + lookupUser + ")";
        }
    }
}
