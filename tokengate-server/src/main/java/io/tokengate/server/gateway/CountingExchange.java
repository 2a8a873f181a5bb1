package io.tokengate.server.gateway;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Counts the body bytes of a forwarded request and of its response, for the audit record. */
final class CountingExchange {
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();

    long bytesIn() {
        return in.get();
    }

    long bytesOut() {
        return out.get();
    }

    Request request(Request request) {
        return new Request.Wrapper(request) {
            @Override
            public Content.Chunk read() {
                Content.Chunk chunk = super.read();
                if (chunk != null) {
                    in.addAndGet(chunk.remaining());
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
