package io.tokengate.server.http;

import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's thread pool, minus one hand-over per request.
 *
 * <p>When an exchange completes on a thread other than the one that read its request, as every
 * forwarded request does (the upstream's response is streamed on the proxy client's selector
 * thread), Jetty hands the client's connection to a pool thread to look for the next request. On a
 * keep-alive connection that look usually finds nothing yet and only re-arms the read interest;
 * the hand-over around it, waking an idle thread, costs more than the look. Here the look runs on
 * the thread that completed the exchange instead.
 *
 * <p>That is safe exactly when the server's handlers never block: the look may find a pipelined
 * request and handle it on that thread, which may be a selector thread. Jetty records whether they
 * do in the server's invocation type (tokengate's are non-blocking: the data plane hands anything
 * that could wait to a worker itself, and the admin plane runs on workers). A server with a
 * blocking handler gets Jetty's hand-over unchanged, as does every other task.
 *
 * <p>Measured in {@code bench/README.md} ("Session 9"): the hand-over's futex calls gone (1.79 a
 * request to 0.04), about a tenth less CPU per request under load and a sixth at one connection;
 * throughput under load unchanged.
 */
public final class ServerThreadPool extends QueuedThreadPool {
    private static final Logger LOG = LoggerFactory.getLogger(ServerThreadPool.class);

    public ServerThreadPool(int maxThreads, int minThreads, int idleTimeoutMillis) {
        super(maxThreads, minThreads, idleTimeoutMillis);
    }

    @Override
    public void execute(Runnable job) {
        if (!(job instanceof HttpConnection connection)
                || connection.getConnector().getServer().getInvocationType() != InvocationType.NON_BLOCKING) {
            super.execute(job);
            return;
        }
        try {
            connection.run();
        } catch (Throwable failure) { // as a pool thread would: the completing thread's own work goes on
            LOG.warn("resuming {} failed", connection, failure);
        }
    }
}
