package io.tokengate.server.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.store.UserRole;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Jira users sign in to the admin plane with their Jira credentials ({@code identity.source =
 * jira}): {@code GET UPSTREAM/rest/api/2/myself} with Basic authentication says whether they are
 * right and what the user's name is; {@code GET
 * UPSTREAM/rest/api/2/mypermissions?permissions=ADMINISTER} whether the user is a Jira
 * administrator, which makes them a tokengate admin. Wrap in {@link CachedIdentity} so that scripts
 * do not send every call to Jira.
 */
public final class JiraIdentity implements IdentitySource {
    public static final String SOURCE = "jira";

    private final JiraRest jira;

    /** @param upstream Jira's base URL, possibly with a context path */
    public JiraIdentity(URI upstream, Duration timeout) {
        this.jira = new JiraRest(upstream, timeout, timeout, "to check credentials", IdentityUnavailableException::new);
    }

    @Override
    public Optional<Principal> authenticate(String user, char[] password) {
        if (user == null || user.isBlank() || user.indexOf(':') >= 0 || password == null || password.length == 0) {
            return Optional.empty();
        }
        Map<String, String> authorization = Map.of("Authorization", basic(user, password));
        HttpResponse<byte[]> myself = jira.get("/rest/api/2/myself", authorization);
        if (myself.statusCode() == 401 || myself.statusCode() == 403) {
            return Optional.empty(); // wrong credentials, or Jira wants a CAPTCHA: not signed in either way
        }
        JsonNode profile = jira.okJson(myself, "/rest/api/2/myself");
        String name = profile.path("name").asText("");
        if (name.isBlank()) {
            throw new IdentityUnavailableException(
                    "Jira's /rest/api/2/myself answered without a user name; cannot sign in", null);
        }
        HttpResponse<byte[]> permissions = jira.get("/rest/api/2/mypermissions?permissions=ADMINISTER", authorization);
        boolean admin = jira.okJson(permissions, "/rest/api/2/mypermissions")
                .path("permissions")
                .path("ADMINISTER")
                .path("havePermission")
                .asBoolean(false);
        return Optional.of(new Principal(name, admin ? UserRole.ADMIN : UserRole.USER, SOURCE));
    }

    /** Jira cannot be asked without the password: a session keeps the role it was given at sign-in. */
    @Override
    public Optional<Principal> refresh(Principal signedIn) {
        return Optional.of(signedIn);
    }

    @Override
    public String label() {
        return SOURCE;
    }

    private static String basic(String user, char[] password) {
        CharBuffer chars = CharBuffer.allocate(user.length() + 1 + password.length);
        chars.put(user).put(':').put(password).flip();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        try {
            return "Basic " + Base64.getEncoder().encodeToString(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
            Arrays.fill(chars.array(), '\0');
        }
    }

    @Override
    public String toString() {
        return "JiraIdentity[" + jira + "]";
    }
}
