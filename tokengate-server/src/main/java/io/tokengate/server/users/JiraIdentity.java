package io.tokengate.server.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.server.gateway.DirectoryUnavailableException;
import io.tokengate.server.http.TrustedCertificates;
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
 * do not send every call to Jira. A session, signed in once, follows what Jira says of its user
 * afterwards ({@link #refresh}).
 */
public final class JiraIdentity implements IdentitySource {
    public static final String SOURCE = "jira";

    private final JiraRest jira;
    private final JiraUserDirectory directory;

    /**
     * @param upstream Jira's base URL, possibly with a context path
     * @param trust the certificates Jira's must chain to; empty for the JVM's
     * @param directory what Jira says of users now, asked as them; null where there is no data
     *     plane to ask through (then a session keeps the role of its sign-in)
     */
    public JiraIdentity(
            URI upstream, Optional<TrustedCertificates> trust, Duration timeout, JiraUserDirectory directory) {
        this.jira = new JiraRest(
                upstream, trust, timeout, timeout, "to check credentials", IdentityUnavailableException::new);
        this.directory = directory;
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

    /**
     * Whether a signed-in user still is what Jira said at sign-in, for a script's remembered check
     * ({@link #standing}) as for a session ({@link #renew}): empty unless the session is in force
     * in full, so a script whose stored credential Jira refuses has its password checked by Jira at
     * each call, and gets the role Jira gives with it.
     */
    @Override
    public Optional<Principal> refresh(Principal signedIn) {
        Renewal renewal = renew(signedIn);
        return renewal.confined() ? Optional.empty() : renewal.principal();
    }

    /**
     * The password is gone by then, so Jira is asked as the data plane asks it, as the user through
     * {@code upstream.identity} ({@link JiraUserDirectory}, answers kept 30 s): an administrator
     * Jira no longer makes one goes on as a user, and a user Jira no longer answers for
     * (deactivated, deleted) is signed out, as is everybody while Jira refuses the service account
     * (the reason says which). So is a confined session (below) whose user Jira, asked by a lookup
     * account, says it has deactivated or deleted: their credential is not merely expired. Where Jira cannot be asked as the user ({@code upstream.identity}
     * cannot name them, or needs an upstream credential they have not stored), the session keeps
     * its sign-in's role.
     *
     * <p>A user whose stored upstream credential Jira refuses (expired, revoked) cannot be asked
     * about either, but would be locked out of the one page that mends it. Their session is
     * confined instead: a plain user's, whatever the sign-in said, good only for their account page
     * (where they store a new credential, which Jira checks). Jira checked their password at
     * sign-in; nothing that needs Jira's word about them now (role, run-as) is taken from it.
     *
     * @throws IdentityUnavailableException when Jira cannot be reached: the request fails rather
     *     than go on with a role Jira may have taken back
     */
    @Override
    public Renewal renew(Principal signedIn) {
        if (directory == null) {
            return Renewal.active(signedIn);
        }
        JiraVerdict verdict;
        try {
            verdict = directory.verdict(signedIn.name());
        } catch (DirectoryUnavailableException e) {
            throw new IdentityUnavailableException(e.getMessage(), e);
        }
        String name = signedIn.name();
        String why = verdict.why().orElse("Jira does not know " + name);
        return switch (verdict.standing()) {
            case NOT_ASKED -> Renewal.active(signedIn);
            case USER -> Renewal.active(new Principal(name, UserRole.USER, SOURCE));
            case ADMINISTRATOR -> Renewal.active(new Principal(name, UserRole.ADMIN, SOURCE));
            case UNKNOWN, DEACTIVATED, NO_SUCH_USER -> Renewal.ended(
                    "User " + name + " may no longer sign in (" + why + ")");
            case SERVICE_ACCOUNT_REFUSED -> Renewal.ended(
                    "Jira cannot be asked whether " + name + " may still sign in. " + why);
            case CREDENTIAL_REFUSED -> Renewal.confined(
                    new Principal(name, UserRole.USER, SOURCE),
                    why + ". Store a current one on your account page (PUT /api/v1/me/upstream-credential):"
                            + " until then only that page is open to " + name + ", as Jira cannot say what "
                            + name + " may do");
        };
    }

    /**
     * Nothing: Jira keeps the credentials, so a remembered check cannot be told stale by a stamp
     * here, and a check is not the moment to ask Jira anything more. Who the user is now comes from
     * {@link #standing}, the default: {@link #refresh}, as for a session, so a script signing in
     * with Basic follows Jira within the same 30 seconds, not its remembered check's minute.
     */
    @Override
    public String credentialStamp(Principal user) {
        return "";
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
