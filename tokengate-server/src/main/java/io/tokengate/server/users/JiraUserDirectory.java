package io.tokengate.server.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.tokengate.server.gateway.DirectoryUnavailableException;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.gateway.UpstreamIdentity;
import io.tokengate.server.gateway.UserDirectory;
import io.tokengate.server.gateway.UserGone;
import io.tokengate.server.users.JiraVerdict.Standing;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's directory when users come from Jira ({@code identity.source = jira}): what Jira
 * says of a user, merged with the user's local row if there is one (an upstream credential stored
 * in tokengate, groups given there). Jira is asked as the user, the way a forwarded request names
 * them ({@link UpstreamIdentity}):
 *
 * <ul>
 *   <li>{@code GET /rest/api/2/myself?expand=groups}: the name, e-mail address and groups;
 *   <li>{@code GET /rest/api/2/mypermissions?permissions=ADMINISTER}: a Jira administrator is an
 *       admin, as on the admin plane.
 * </ul>
 *
 * <p>Answers, found or not, are cached for {@code ttl}, so a change in Jira applies within it.
 * Failures are not cached: they fail the request that needed the answer ({@link
 * DirectoryUnavailableException}, 502) rather than let it be decided without Jira.
 *
 * <p>An answer about somebody else is never taken for the user asked about: a Jira that ignores
 * {@code contextUser} answers for the service account, which may well be an administrator. Such
 * an answer counts as not found, and is logged.
 *
 * <p>The admin plane asks the same answers whether a signed-in Jira user still is who they were
 * ({@link #verdict}), so that a session follows Jira within {@code ttl}.
 *
 * <p>When Jira refuses to answer as a user, and the gateway has an account that may look users up
 * ({@link UpstreamIdentity#lookupAuthorization}), Jira is asked about them ({@link JiraUserLookup}):
 * a user it deactivated or deleted is said so, apart from a credential it refuses. What it said of
 * users it no longer lets act is kept for the data plane and token listings ({@link #goneNow},
 * {@link #lastGone}), and a refused forwarded call may have it asked in the background ({@link
 * #learnAbout}).
 *
 * <p>When Jira refuses to answer as a user through a service account (401), it may be refusing
 * the account itself, which makes every user unknown. Then the account is checked on its own
 * ({@link ServiceAccountWatch}, at most once a minute) and a refusal is logged as a warning.
 */
public final class JiraUserDirectory implements UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(JiraUserDirectory.class);

    private final UserDirectory local;
    private final UpstreamIdentity identity;
    private final ServiceAccountWatch account = new ServiceAccountWatch();

    private final JiraRest jira;
    private final LoadingCache<String, Answer> cache;
    private final GoneUsers gone;
    private final RefusalFollowUp followUp;

    /** One lookup: what Jira said, and the user as the data plane sees them (merged with the local row). */
    private record Answer(JiraVerdict verdict, Optional<DirectoryUser> user) {
        Answer(Standing standing, String why, Optional<DirectoryUser> user) {
            this(new JiraVerdict(standing, Optional.ofNullable(why)), user);
        }
    }

    /**
     * @param local the local users, for what tokengate keeps of a Jira user
     * @param gateway the upstream, how to name a user to it, and its timeouts
     * @param ttl how long an answer is kept
     */
    public JiraUserDirectory(UserDirectory local, GatewayConfig gateway, Duration ttl, Clock clock) {
        this.local = local;
        this.gone = new GoneUsers(ttl, clock);
        this.identity = gateway.identity();
        // Bounded as a sign-in's check is, not by the upstream's idle timeout (a minute): a Jira
        // that hangs holds each request that needs an answer that long, a run-as request twice.
        this.jira = new JiraRest(
                gateway.upstream(),
                gateway.upstreamTrust(),
                gateway.connectTimeout(),
                gateway.connectTimeout(),
                "to look up a user",
                DirectoryUnavailableException::new);
        this.cache = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(ttl)
                .build(name -> {
                    Answer answer = load(name);
                    gone.learn(name, answer.verdict());
                    return answer;
                });
        this.followUp = new RefusalFollowUp(ttl);
    }

    /**
     * @throws DirectoryUnavailableException when Jira cannot be asked
     */
    @Override
    public Optional<DirectoryUser> find(String name) {
        return answer(name).user();
    }

    /**
     * What Jira says of {@code name} now (or within {@code ttl}), and why it does not know them
     * when it does not; only Jira's own word, whatever the user's local row says.
     *
     * @throws DirectoryUnavailableException when Jira cannot be asked
     */
    public JiraVerdict verdict(String name) {
        return answer(name).verdict();
    }

    @Override
    public Optional<String> whyUnknown(String name) {
        JiraVerdict verdict = verdict(name);
        return verdict.known() ? Optional.empty() : verdict.why();
    }

    @Override
    public Optional<UserGone> goneNow(String name) {
        return gone.now(name);
    }

    @Override
    public Optional<String> refusedNow(String name) {
        Answer answer = cache.getIfPresent(name.toLowerCase(Locale.ROOT));
        if (answer == null || answer.verdict().known() || answer.verdict().standing() == Standing.NOT_ASKED) {
            return Optional.empty();
        }
        return answer.verdict().why();
    }

    /** Asks in the background, unless a fresh answer at hand already says why ({@link RefusalFollowUp}). */
    @Override
    public void learnAbout(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Answer fresh = cache.getIfPresent(key);
        followUp.after(key, fresh == null ? null : fresh.verdict(), () -> {
            cache.invalidate(key);
            cache.get(key);
        });
    }

    @Override
    public void upstreamAccepted(String name) {
        gone.forget(name);
    }

    /**
     * What Jira last said of {@code name} being gone (refused, deactivated, deleted), however long
     * ago within a day, for token listings: never asks Jira. Empty when nothing is known, or when a
     * later answer knew them.
     */
    public Optional<UserGone> lastGone(String name) {
        return gone.last(name);
    }

    private Answer answer(String name) {
        return cache.get(name.toLowerCase(Locale.ROOT));
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
    public Optional<String> ownerOf(String user, String credential) {
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

    /** Whether a user's tokens reach Jira with a credential the user stores ({@code user-credential}). */
    public boolean usesStoredCredentials() {
        return identity.needsUserCredential();
    }

    /** Forgets every answer, after a change to local users on this node. */
    public void invalidate() {
        cache.invalidateAll();
    }

    private Answer load(String name) {
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

    @Override
    public String toString() {
        return "JiraUserDirectory[" + jira + ", " + identity + "]";
    }
}
