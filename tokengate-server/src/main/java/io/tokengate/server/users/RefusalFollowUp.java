package io.tokengate.server.users;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokengate.server.gateway.DirectoryUnavailableException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Jira about a user in the background after Jira refused a call made as them ({@link
 * JiraUserDirectory#learnAbout}), so that the next request and token listings know why, while the
 * refused call's answer waits for nothing. Bounded so that a burst of refused calls makes one
 * request to Jira: nothing is asked while a fresh answer already says Jira refuses the user; a
 * fresh answer that still knows them (Jira refusing a call says it is stale) is asked again at most
 * once per answers' lifetime; and one thread, started when needed and gone when idle, takes a short
 * queue, beyond which lookups are dropped (a later refusal asks again).
 */
final class RefusalFollowUp {
    private static final Logger LOG = LoggerFactory.getLogger(RefusalFollowUp.class);

    private final Cache<String, Boolean> reasked;
    private final Executor background;

    RefusalFollowUp(Duration ttl) {
        this.reasked =
                Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                1,
                1,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64),
                runnable -> {
                    Thread thread = new Thread(runnable, "jira-user-lookup");
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.DiscardPolicy());
        executor.allowCoreThreadTimeOut(true);
        this.background = executor;
    }

    /**
     * @param key the user, as answers are kept
     * @param fresh what a fresh answer at hand says of them; null when none is
     * @param ask forgets any fresh answer and asks Jira anew
     */
    void after(String key, JiraVerdict fresh, Runnable ask) {
        if (fresh != null && (!fresh.known() || reasked.asMap().putIfAbsent(key, Boolean.TRUE) != null)) {
            return;
        }
        background.execute(() -> {
            try {
                ask.run();
            } catch (DirectoryUnavailableException e) {
                LOG.debug("could not ask Jira about {} after it refused a call as them: {}", key, e.getMessage());
            }
        });
    }
}
