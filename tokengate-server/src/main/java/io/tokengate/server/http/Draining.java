package io.tokengate.server.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;

/**
 * Lets a graceful stop wait for the requests in flight, and serves the ones that still arrive.
 *
 * <p>When the server stops, its connectors close their ports at once: a new connection is refused,
 * which a load balancer takes to another node whatever the method, as nothing was sent. What can
 * still arrive is a request on a connection the client (or the balancer) kept open. Jetty's own
 * {@code GracefulHandler} answers those 503, and nginx, say, does not send a refused {@code POST}
 * to another node once it has sent it. This handler serves them as usual instead; the connector,
 * being shut down, answers each with {@code Connection: close}, so a kept connection carries at
 * most one more request, and the stop waits for it like any other ({@code server.setStopTimeout}
 * bounds the wait).
 */
public final class Draining extends Handler.Wrapper implements Graceful {
    private final LongAdder inFlight = new LongAdder();
    private final Shutdown shutdown = new Shutdown(this) {
        @Override
        public boolean isShutdownDone() {
            return inFlight.sum() == 0;
        }
    };

    public Draining(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        inFlight.increment();
        boolean handled = false;
        try {
            handled = super.handle(request, response, new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    super.succeeded();
                    done();
                }

                @Override
                public void failed(Throwable failure) {
                    super.failed(failure);
                    done();
                }
            });
            return handled;
        } finally {
            if (!handled) {
                done();
            }
        }
    }

    private void done() {
        inFlight.decrement();
        if (shutdown.isShutdown()) {
            shutdown.check();
        }
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        return shutdown.shutdown();
    }

    @Override
    public boolean isShutdown() {
        return shutdown.isShutdown();
    }
}
