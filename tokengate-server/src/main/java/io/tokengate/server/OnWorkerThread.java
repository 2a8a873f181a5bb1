package io.tokengate.server;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * Runs a blocking handler (the admin plane: database, password hashing) on a worker thread.
 * The data plane never blocks, so Jetty runs the server's handlers on its selector threads
 * (the server's invocation type is that of its whole handler tree); this wrapper keeps the
 * admin plane off them.
 */
final class OnWorkerThread extends Handler.Wrapper {
    OnWorkerThread(Handler handler) {
        super(handler);
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        request.getComponents().getExecutor().execute(() -> {
            try {
                if (!super.handle(request, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable failure) {
                Response.writeError(request, response, callback, failure);
            }
        });
        return true;
    }
}
