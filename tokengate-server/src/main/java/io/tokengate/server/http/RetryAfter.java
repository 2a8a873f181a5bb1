package io.tokengate.server.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;

/**
 * {@code Retry-After} on a refusal that passes, on either plane (a throttled sign-in, a token's
 * rate limit, a store or audit log not keeping up): the delay in whole seconds, never an HTTP
 * date, which needs the client's clock to agree with ours. Clients that retry on their own
 * ({@code curl --retry}, most HTTP libraries) wait that long instead of retrying at once.
 */
public final class RetryAfter {
    /**
     * For a state of the gateway's own that passes (a database, Jira or the audit queue away or
     * behind, a stopping node): clients that retry wait a second, not none.
     */
    public static final long UNAVAILABLE_SECONDS = 1;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RetryAfter() {}

    /** Sets the header; {@code seconds} is at least 1 (see {@link #seconds}). */
    public static void set(Response response, long seconds) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
    }

    /**
     * A wait in nanoseconds as the header says it: rounded up, and at least a second, so that a
     * client that waits as told is not refused again for coming back a fraction of a second early.
     */
    public static long seconds(long waitNanos) {
        return Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }
}
