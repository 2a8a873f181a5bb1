package io.tokengate.server.gateway;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the body bytes of a forwarded request and of its response, for the audit record, and
 * remembers whether reading the client's body failed (malformed chunks, a client gone mid-upload)
 * or had not ended yet, or writing the response to it failed (a client gone mid-download), so that
 * a failure or a timeout it causes is answered, and audited, as the client's, not the upstream's.
 */
final class CountingExchange {
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();
    private volatile Throwable requestFailure;
    private volatile Throwable responseFailure;
    /** Whether the client's request has a body (a length above 0, or chunks) whose end was not read yet. */
    private volatile boolean requestBodyPending;

    long bytesIn() {
        return in.get();
    }

    long bytesOut() {
        return out.get();
    }

    /**
     * Why writing the response to the client failed (the client hung up); null if it did not.
     * Jetty reports that, as it reports Jira closing its connection, as an end of stream.
     */
    Throwable responseFailure() {
        return responseFailure;
    }

    /** Why reading the client's request body failed; null if it did not. */
    Throwable requestFailure() {
        return requestFailure;
    }

    /**
     * Whether the client was still sending its request body: its end not read yet. A timeout
     * then is the client's slowness (the upstream cannot answer a request it has not received
     * whole), whether or not the timeout reached the body's reading first.
     */
    boolean requestBodyPending() {
        return requestBodyPending;
    }

    Request request(Request request) {
        requestBodyPending = BodyRules.hasBody(request);
        return new Request.Wrapper(request) {
            @Override
            public Content.Chunk read() {
                Content.Chunk chunk = super.read();
                if (chunk != null) {
                    if (Content.Chunk.isFailure(chunk)) {
                        requestFailure = chunk.getFailure();
                    } else {
                        in.addAndGet(chunk.remaining());
                    }
                    if (chunk.isLast()) {
                        requestBodyPending = false;
                    }
                }
                return chunk;
            }
        };
    }

    Response response(Request request, Response response) {
        return new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback callback) {
                if (content != null) {
                    out.addAndGet(content.remaining());
                }
                super.write(last, content, new Callback.Nested(callback) {
                    @Override
                    public void failed(Throwable x) {
                        responseFailure = x;
                        super.failed(x);
                    }
                });
            }
        };
    }
}
