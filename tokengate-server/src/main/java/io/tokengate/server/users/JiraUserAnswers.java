package io.tokengate.server.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.server.gateway.DirectoryUnavailableException;
import io.tokengate.server.gateway.UpstreamIdentity;
import io.tokengate.server.gateway.UserDirectory;
import io.tokengate.server.gateway.UserDirectory.DirectoryUser;
import io.tokengate.server.users.JiraVerdict.Standing;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Jira says of one user, asked as them the way a forwarded request names them ({@link
 * UpstreamIdentity}), merged with the user's local row: the questions {@link JiraUserDirectory}
 * asks, and caches, and what its answers mean (see there). Never caches anything itself.
 */
final class JiraUserAnswers {
    /** The directory's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(JiraUserDirectory.class);

    private final UserDirectory local;
    private final UpstreamIdentity identity;
    private final JiraRest jira;
    private final ServiceAccountWatch account = new ServiceAccountWatch();

    /** One lookup: what Jira said, and the user as the data plane sees them (merged with the local row). */
    record Answer(JiraVerdict verdict, Optional<DirectoryUser> user) {
        Answer(Standing standing, String why, Optional<DirectoryUser> user) {
            this(new JiraVerdict(standing, Optional.ofNullable(why)), user);
        }
    }

    JiraUserAnswers(UserDirectory local, UpstreamIdentity identity, JiraRest jira) {
        this.local = local;
        this.identity = identity;
        this.jira = jira;
    }

    /**
     * Whose Jira account {@code credential} is, for a user about to store it ({@code
     * upstream.identity = user-credential}): Jira is asked {@code /rest/api/2/myself} with it, as a
     * forwarded request would send it. Stored unchecked, a credential of somebody else's would have
     * Jira act as them on every request of {@code user}'s tokens, audited as {@code user}'s.
     *
     * @return the name Jira answered with; empty when Jira refuses the credential (401, 403)
     * @throws DirectoryUnavailableException when Jira cannot be asked
     */
    Optional<String> ownerOf(String user, String credential) {
        HttpResponse<byte[]> myself = get("/rest/api/2/myself", user, credential);
        if (myself.statusCode() == 401 || myself.statusCode() == 403) {
            return Optional.empty();
        }
        String name = jira.okJson(myself, "/rest/api/2/myself").path("name").asText("");
        if (name.isBlank()) {
            throw new DirectoryUnavailableException(
                    "Jira's /rest/api/2/myself answered without a user name; cannot tell whose the credential is",
                    null);
        }
        return Optional.of(name);
    }

    /**
     * What Jira says of {@code name} now: {@code /rest/api/2/myself?expand=groups} and {@code
     * /rest/api/2/mypermissions?permissions=ADMINISTER} as them, or, when it refuses to answer as
     * them, what the lookup account learns ({@link JiraUserLookup}) or the service account's own
     * check ({@link ServiceAccountWatch}).
     *
     * @throws DirectoryUnavailableException when Jira cannot be asked
     */
    Answer load(String name) {
        Optional<DirectoryUser> stored = local.find(name);
        String credential = stored.flatMap(DirectoryUser::upstreamCredential).orElse(null);
        if (identity.needsUserCredential() && credential == null) {
            return new Answer(
                    Standing.NOT_ASKED,
                    "Jira cannot be asked about " + name + ", who has stored no upstream credential"
                            + " (upstream.identity = user-credential)",
                    stored);
        }
        Optional<String> unnameable = identity.needsUserCredential() ? Optional.empty() : identity.cannotName(name);
        if (unnameable.isPresent()) {
            return new Answer(
                    Standing.NOT_ASKED,
                    "Jira cannot be asked about " + name + ": " + unnameable.get() + ", which upstream.identity = "
                            + identity + " cannot pass to Jira",
                    stored);
        }
        HttpResponse<byte[]> myself = get("/rest/api/2/myself?expand=groups", name, credential);
        int status = myself.statusCode();
        if (status == 401 || status == 403 || status == 404) {
            Optional<JiraVerdict> said = identity.lookupAuthorization()
                    .flatMap(authorization -> JiraUserLookup.gone(jira, authorization, name));
            if (said.isPresent()) {
                return new Answer(said.get(), stored);
            }
            // Only user-credential mode asks with the stored credential; one left from a time
            // in that mode is not what another mode's refusal is about.
            if (identity.needsUserCredential() && credential != null && status != 404) {
                return new Answer(
                        Standing.CREDENTIAL_REFUSED,
                        "Jira refuses the upstream credential stored for " + name + " (" + status
                                + " to /rest/api/2/myself): expired or revoked in Jira, it must be replaced",
                        stored);
            }
            if (status == 401 && identity.ownAuthorization().isPresent()) {
                Optional<String> problem = account.problem(jira, identity);
                if (problem.isPresent()) {
                    return new Answer(Standing.SERVICE_ACCOUNT_REFUSED, problem.get(), stored);
                }
            }
            return new Answer(
                    Standing.UNKNOWN,
                    "Jira does not know " + name + ": it refused to answer as them (" + status
                            + " to /rest/api/2/myself, asked through upstream.identity = " + identity + ")",
                    stored);
        }
        JsonNode profile = jira.okJson(myself, "/rest/api/2/myself");
        String answered = profile.path("name").asText("");
        if (!answered.equalsIgnoreCase(name)) {
            LOG.warn(
                    "Jira answered /rest/api/2/myself for '{}' when asked as '{}' ({}):"
                            + " treating '{}' as unknown to Jira",
                    answered,
                    name,
                    identity,
                    name);
            return new Answer(
                    Standing.UNKNOWN,
                    "Jira does not know " + name + ": asked as them, it answered for '" + answered + "' instead",
                    stored);
        }
        boolean admin = jira.okJson(
                        get("/rest/api/2/mypermissions?permissions=ADMINISTER", name, credential),
                        "/rest/api/2/mypermissions")
                .path("permissions")
                .path("ADMINISTER")
                .path("havePermission")
                .asBoolean(false);
        Set<String> groups = new HashSet<>();
        for (JsonNode group : profile.path("groups").path("items")) {
            String groupName = group.path("name").asText("");
            if (!groupName.isEmpty()) {
                groups.add(groupName);
            }
        }
        stored.ifPresent(user -> groups.addAll(user.groups()));
        String email = profile.path("emailAddress").asText("");
        return new Answer(
                admin ? Standing.ADMINISTRATOR : Standing.USER,
                null,
                Optional.of(new DirectoryUser(
                        answered,
                        email.isEmpty() ? stored.map(DirectoryUser::email).orElse(null) : email,
                        admin || stored.map(DirectoryUser::admin).orElse(false),
                        groups,
                        Optional.ofNullable(credential))));
    }

    /** {@code GET path}, as {@code user}: named to Jira as a forwarded request names them. */
    private HttpResponse<byte[]> get(String path, String user, String credential) {
        HttpFields.Mutable headers = HttpFields.build();
        identity.apply(headers, user, credential);
        Map<String, String> named = new LinkedHashMap<>();
        for (HttpField header : headers) {
            named.put(header.getName(), header.getValue());
        }
        return jira.get(path, named);
    }
}
