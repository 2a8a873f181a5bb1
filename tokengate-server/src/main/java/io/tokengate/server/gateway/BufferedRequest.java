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
 */
final class BufferedRequest extends Request.Wrapper {
    private final Content.Source body;
    private final long length;
    private final HttpFields headers;

    BufferedRequest(Request request, byte[] body) {
        super(request);
        this.body = Content.Source.from(ByteBuffer.wrap(body));
        this.length = body.length;
        this.headers =
                HttpFields.build(request.getHeaders()).remove(HttpHeader.EXPECT).asImmutable();
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
    public Content.Chunk read() {
        return body.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
        body.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        body.fail(failure);
    }
}
