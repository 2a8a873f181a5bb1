package io.tokengate.server.users;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.tokengate.server.gateway.DirectoryUnavailableException;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.gateway.UpstreamIdentity;
import io.tokengate.server.gateway.UserDirectory;
import io.tokengate.server.gateway.UserGone;
import io.tokengate.server.users.JiraUserAnswers.Answer;
import io.tokengate.server.users.JiraVerdict.Standing;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

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
    private final UpstreamIdentity identity;
    private final JiraRest jira;
    private final JiraUserAnswers answers;
    private final LoadingCache<String, Answer> cache;
    private final GoneUsers gone;
    private final RefusalFollowUp followUp;

    /**
     * @param local the local users, for what tokengate keeps of a Jira user
     * @param gateway the upstream, how to name a user to it, and its timeouts
     * @param ttl how long an answer is kept
     */
    public JiraUserDirectory(UserDirectory local, GatewayConfig gateway, Duration ttl, Clock clock) {
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
        this.answers = new JiraUserAnswers(local, identity, jira);
        this.cache = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(ttl)
                .build(name -> {
                    Answer answer = answers.load(name);
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
     * Whose Jira account {@code credential} is, for a user about to store it; see {@link
     * JiraUserAnswers#ownerOf}.
     *
     * @return the name Jira answered with; empty when Jira refuses the credential (401, 403)
     * @throws DirectoryUnavailableException when Jira cannot be asked
     */
    public Optional<String> ownerOf(String user, String credential) {
        return answers.ownerOf(user, credential);
    }

    /** Whether a user's tokens reach Jira with a credential the user stores ({@code user-credential}). */
    public boolean usesStoredCredentials() {
        return identity.needsUserCredential();
    }

    /** Forgets every answer, after a change to local users on this node. */
    public void invalidate() {
        cache.invalidateAll();
    }

    @Override
    public String toString() {
        return "JiraUserDirectory[" + jira + ", " + identity + "]";
    }
}
