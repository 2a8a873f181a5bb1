package io.tokengate.server.gateway;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A request whose body was read for inspection: it replays exactly the inspected bytes, so that
 * what restrictions saw is what the upstream receives, with their length known (the upstream gets
 * a Content-Length even if the client sent chunks). {@code Expect: 100-continue} is dropped: the
 * client has already been told to continue and the whole body is here, so there is nothing for
 * the upstream to agree to.
 *
 * <p>The body is one chunk, and {@code sent} runs when that chunk is released: by the upstream
 * client once it has written the bytes, or here if the request fails before they were read. From
 * then on nothing here refers to them, so the memory they took can be counted free while the
 * upstream is still answering and the client still reading the answer.
 */
final class BufferedRequest extends Request.Wrapper {
    private final long length;
    private final HttpFields headers;
    /** What {@link #read} returns next: the body, then its end, or a failure. */
    private Content.Chunk next;

    BufferedRequest(Request request, byte[] body, Runnable sent) {
        super(request);
        this.length = body.length;
        this.headers =
                HttpFields.build(request.getHeaders()).remove(HttpHeader.EXPECT).asImmutable();
        this.next = Content.Chunk.from(ByteBuffer.wrap(body), true, sent);
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public synchronized Content.Chunk read() {
        Content.Chunk chunk = next;
        if (!Content.Chunk.isFailure(chunk)) {
            next = Content.Chunk.EOF;
        }
        return chunk;
    }

    /** There is always something to read: the body, its end or a failure. */
    @Override
    public void demand(Runnable demandCallback) {
        demandCallback.run();
    }

    @Override
    public void fail(Throwable failure) {
        Content.Chunk unread;
        synchronized (this) {
            unread = next;
            next = Content.Chunk.from(failure, true);
        }
        unread.release();
    }
}
