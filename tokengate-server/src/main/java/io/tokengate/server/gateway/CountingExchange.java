package io.tokengate.server.gateway;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the body bytes of a forwarded request and of its response, for the audit record, and
 * remembers whether reading the client's body failed (malformed chunks, a client gone mid-upload),
 * so that such a failure is answered as the client's fault, not the upstream's.
 */
final class CountingExchange {
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();
    private volatile Throwable requestFailure;

    long bytesIn() {
        return in.get();
    }

    long bytesOut() {
        return out.get();
    }

    /** Why reading the client's request body failed; null if it did not. */
    Throwable requestFailure() {
        return requestFailure;
    }

    Request request(Request request) {
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
                super.write(last, content, callback);
            }
        };
    }
}
