package io.tokengate.server.users;

import io.tokengate.server.gateway.UpstreamIdentity;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service account as Jira last judged it, for {@link JiraUserDirectory} when Jira refuses to
 * answer about a user through it: asked at most once a minute ({@link ServiceAccountCheck}), in
 * between the last answer stands; a refusal is logged (under the directory's name).
 */
final class ServiceAccountWatch {
    private static final Logger LOG = LoggerFactory.getLogger(JiraUserDirectory.class);
    private static final long ACCOUNT_CHECK_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long NEVER = Long.MIN_VALUE;

    private final AtomicLong accountCheckedAt = new AtomicLong(NEVER);
    /** What the last check of the service account found wrong; empty when nothing, or not checked yet. */
    private volatile Optional<String> accountProblem = Optional.empty();

    /** What is wrong with the service account, as Jira said at its last check. */
    Optional<String> problem(JiraRest jira, UpstreamIdentity identity) {
        long now = System.nanoTime();
        long last = accountCheckedAt.get();
        if ((last != NEVER && now - last < ACCOUNT_CHECK_INTERVAL_NANOS)
                || !accountCheckedAt.compareAndSet(last, now)) {
            return accountProblem;
        }
        Optional<String> problem = ServiceAccountCheck.problem(jira, identity);
        accountProblem = problem;
        problem.ifPresent(p -> LOG.warn(
                "{}. Until Jira accepts it, no Jira user is known here: sessions of identity.source = jira"
                        + " end, run-as and e-mail matching are refused, and no token is bound to a user (503)",
                p));
        return problem;
    }
}
