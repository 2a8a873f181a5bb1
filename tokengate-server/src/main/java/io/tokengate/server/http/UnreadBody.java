package io.tokengate.server.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A request body that a handler answers without reading, as a refusal does. Jetty skips such a
 * body only after the response is sent; when the body has not all arrived by then, it closes the
 * connection without having said so, and a client that reuses the connection for its next request
 * finds it closed. Skipped before the response commits, a body that arrived whole leaves the
 * connection open, and a body still arriving makes Jetty put {@code Connection: close} on the
 * response, so the client knows.
 */
public final class UnreadBody {
    private UnreadBody() {}

    /** Skips what has arrived of {@code response}'s request body, unless the response is committed. */
    public static void skip(Response response) {
        if (!response.isCommitted()) {
            response.getRequest().consumeAvailable();
        }
    }

    /**
     * {@code response}, skipping what is left of the request body when it commits. Only for a plane
     * whose handlers read a body, if at all, before they answer: a body still being read when the
     * response commits would lose its rest.
     */
    public static Response skippedOnCommit(Response response) {
        return new Response.Wrapper(response.getRequest(), response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback callback) {
                skip(getWrapped());
                super.write(last, content, callback);
            }
        };
    }
}
